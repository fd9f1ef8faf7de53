package dev.kindling.prospects;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A merged prospect's id keeps answering: every API path under {@code /api/v1/prospects/{loserId}} answers
 * {@code 308 Permanent Redirect} (method and body kept) to the same path under the survivor, and its UI pages
 * redirect there. Runs after authentication and the role checks, so only users who could see the prospect learn
 * where it went.
 */
@Configuration(proxyBeanMethods = false)
class MergedProspectRedirects implements WebMvcConfigurer, HandlerInterceptor {

    private static final Pattern PATH = Pattern.compile("^(/api/v1/prospects/|/prospects/)(\\d{1,18})(/.*)?$");

    private final ProspectMerges merges;

    MergedProspectRedirects(ProspectMerges merges) {
        this.merges = merges;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this)
                .addPathPatterns("/api/v1/prospects/*", "/api/v1/prospects/*/**", "/prospects/*", "/prospects/*/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return true;
        }
        Optional<Long> survivor = merges.survivorOf(Long.parseLong(m.group(2)));
        if (survivor.isEmpty()) {
            return true;
        }
        String query = request.getQueryString();
        String location = request.getContextPath()
                + m.group(1)
                + survivor.get()
                + (m.group(3) == null ? "" : m.group(3))
                + (query == null ? "" : "?" + query);
        response.setStatus(m.group(1).startsWith("/api/") ? 308 : HttpServletResponse.SC_FOUND);
        response.setHeader("Location", location);
        return false;
    }
}
