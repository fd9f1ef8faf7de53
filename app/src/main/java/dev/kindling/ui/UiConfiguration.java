package dev.kindling.ui;

import dev.kindling.platform.outbound.PublicUrl;
import dev.kindling.platform.security.Accounts;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;
import org.springframework.web.servlet.resource.ResourceUrlProvider;

/** Wires the shell: its interceptors, the user's language and time zone, one placeholder page per capability not built yet. */
@Configuration(proxyBeanMethods = false)
class UiConfiguration implements WebMvcConfigurer {

    private final PublicUrl publicUrl;

    UiConfiguration(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
    }

    /** The signed-in user's language and time zone for every page ({@link UserLocaleResolver}). */
    @Bean(DispatcherServlet.LOCALE_RESOLVER_BEAN_NAME)
    LocaleResolver localeResolver(Accounts accounts) {
        return new UserLocaleResolver(accounts);
    }

    /**
     * Every link a page writes ({@code @{/prospects/7}}) passes the resource URL encoding filter, which is on because
     * the WebJars locator is present: it gives {@code /webjars/htmx.org/dist/htmx.min.js} its version. The filter asks
     * each resource handler whose pattern matches the link to resolve it; the catch-all static handler ({@code /**})
     * matches every link and looked for it in four classpath locations, each miss a scan of every jar on the class
     * path, and misses are not cached: about 60 % of the CPU of rendering a page (docs/testing.md, the fourteenth
     * pass). That handler has no version strategy, so it rewrites no link: links are rewritten by the other resource
     * handlers only (the WebJars one). Which files are served is unchanged. (A version strategy for the static files
     * would need the catch-all here again.)
     *
     * <p>It also says how browsers may keep the static files (Spring Security's default for every response is
     * {@code no-store}, so every page fetched its script and stylesheet again, and the browser compiled them again:
     * docs/testing.md, the seventeenth pass). The WebJars' paths carry their version (the links are rewritten to it),
     * so a file under them never changes: kept for a year without asking again (so is the path without the version,
     * which no page links). The app's own files ({@code /css}, {@code /js}, {@code /img}) keep their names across
     * versions: kept, but checked again on every use ({@code no-cache}, answered 304 by their last-modified time), so
     * a new version is used at once.
     */
    @Bean
    ApplicationListener<ContextRefreshedEvent> pageLinksSkipTheCatchAllResourceHandler(
            ApplicationContext context, ResourceUrlProvider mvcResourceUrlProvider) {
        return event -> {
            if (event.getApplicationContext() != context) {
                return;
            }
            Map<String, ResourceHttpRequestHandler> rewriting = new LinkedHashMap<>();
            for (SimpleUrlHandlerMapping mapping :
                    context.getBeansOfType(SimpleUrlHandlerMapping.class).values()) {
                mapping.getHandlerMap().forEach((pattern, handler) -> {
                    if (handler instanceof ResourceHttpRequestHandler resources) {
                        if (pattern.equals("/**")) {
                            resources.setCacheControl(CacheControl.noCache());
                        } else {
                            rewriting.put(pattern, resources);
                            if (pattern.equals("/webjars/**")) {
                                resources.setCacheControl(CacheControl.maxAge(Duration.ofDays(365))
                                        .cachePublic());
                            }
                        }
                    }
                });
            }
            // also ends the provider's own detection (whichever of the two listeners runs first)
            mvcResourceUrlProvider.setHandlerMap(rewriting);
        };
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        for (HandlerInterceptor interceptor : List.of(new ShellInterceptor(), new PublicUrlBanner(publicUrl))) {
            registry.addInterceptor(interceptor)
                    .addPathPatterns("/**")
                    .excludePathPatterns(
                            "/api/**",
                            "/actuator/**",
                            "/f/**",
                            "/l/**",
                            "/t/**",
                            "/webjars/**",
                            "/css/**",
                            "/js/**",
                            "/img/**");
        }
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        for (Navigation.Page page : Navigation.pages()) {
            if (!page.built()) {
                registry.addViewController(page.path()).setViewName("placeholder");
            }
        }
    }
}
