package dev.kindling.ui;

import dev.kindling.platform.outbound.PublicUrl;
import dev.kindling.platform.security.Accounts;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

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
