package dev.kindling.platform.security;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.HEAD;
import static org.springframework.http.HttpMethod.POST;

import dev.kindling.platform.web.Problems;
import java.util.Arrays;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Two doors. The API ({@code /api/**}, {@code /actuator/**}) takes Bearer API keys, keeps no
 * session and needs no CSRF token. Everything else is the UI (login form, session cookie, CSRF
 * on every state change) and the public capture endpoints (forms, tracking, links), which any
 * website may call and so carry no CSRF token.
 *
 * <p>Roles on the API: every role reads; ADMIN manages users and keys; ADMIN and MARKETING
 * configure and ingest; the sales roles may also edit prospects; only ADMIN and the sales roles write
 * opportunities (marketing reads them).
 *
 * <p>Roles in the UI: every signed-in user reads every page (but the admin settings and the outbox); who may
 * submit a form is the table of {@code POST} rules in {@link #web}, the same split as the API. A form post that
 * no rule names falls to the last one (ADMIN and MARKETING), so a new page is closed to the sales roles and
 * VIEWER until it is given a rule. Controllers keep only the finer checks that depend on the data (an
 * INSIDE_SALES user reassigns only within a team they manage) and the role flags that decide whether a page
 * shows a form at all.
 *
 * <p>Both doors act with the user's role of this moment: an API key with its role narrowed to its user's
 * ({@link ApiKeys#find}), a session with its user's row read again on every request ({@link CurrentUserFilter});
 * a deactivated user's keys and sessions stop working on their next request. Password sign-in is throttled per
 * account and per address ({@link SignInThrottle}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

    static final int MIN_PASSWORD_COST = 4;
    static final int MAX_PASSWORD_COST = 31;

    static final String[] PUBLIC_CAPTURE = {"/f/**", "/l/**", "/t/**", "/e/**"};
    static final String[] API_DOCS = {"/v3/api-docs", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html"};

    /**
     * Users' passwords are stored as BCrypt hashes (with the {@code {bcrypt}} prefix every stored hash has) at the
     * cost {@code kindling.security.password-cost}: 2 to that power rounds, 10 by default (Spring Security's). A hash
     * records its own cost, so a changed cost applies to passwords set from then on and every stored one still
     * matches. Below 10 is for tests only: the integration tests run at 4 (docs/testing.md).
     */
    @Bean
    PasswordEncoder passwordEncoder(@Value("${kindling.security.password-cost:10}") int cost) {
        if (cost < MIN_PASSWORD_COST || cost > MAX_PASSWORD_COST) {
            throw new IllegalArgumentException("kindling.security.password-cost must be from " + MIN_PASSWORD_COST
                    + " to " + MAX_PASSWORD_COST + ", not " + cost);
        }
        return new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(cost)));
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, ApiKeys apiKeys) throws Exception {
        String admin = Role.ADMIN.name();
        String marketing = Role.MARKETING.name();
        return http.securityMatcher("/api/**", "/actuator/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .securityContext(c -> c.requireExplicitSave(true))
                .addFilterBefore(new ApiKeyAuthenticationFilter(apiKeys), UsernamePasswordAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint((req, res, ex) -> Problems.write(
                                res,
                                HttpStatus.UNAUTHORIZED,
                                "A valid API key is required: Authorization: Bearer <key>"))
                        .accessDeniedHandler((req, res, ex) ->
                                Problems.write(res, HttpStatus.FORBIDDEN, "Your role may not do this")))
                .authorizeHttpRequests(auth -> auth.requestMatchers("/actuator/health", "/actuator/health/**")
                        .permitAll()
                        .requestMatchers("/actuator/**")
                        .hasRole(admin)
                        .requestMatchers("/api/v1/users/**", "/api/v1/api-keys/**")
                        .hasRole(admin)
                        .requestMatchers("/api/v1/webhooks", "/api/v1/webhooks/**")
                        .hasRole(admin)
                        .requestMatchers("/api/v1/salesforce/**")
                        .hasRole(admin)
                        // linking a campaign to Salesforce (reading the link is for anyone signed in, as campaigns)
                        .requestMatchers(POST, "/api/v1/campaigns/*/salesforce")
                        .hasRole(admin)
                        .requestMatchers(DELETE, "/api/v1/campaigns/*/salesforce")
                        .hasRole(admin)
                        .requestMatchers(
                                "/api/v1/audit",
                                "/api/v1/audit/**",
                                "/api/v1/prospects/*/export",
                                "/api/v1/prospects/*/erase")
                        .hasRole(admin)
                        .requestMatchers("/api/v1/settings/api-docs")
                        .hasRole(admin)
                        .requestMatchers("/api/v1/outbox", "/api/v1/outbox/**")
                        .hasAnyRole(admin, marketing)
                        .requestMatchers(GET, "/api/**")
                        .authenticated()
                        .requestMatchers(HEAD, "/api/**")
                        .authenticated()
                        .requestMatchers("/api/v1/teams/**", "/api/v1/territories/**", "/api/v1/assignment/**")
                        .hasRole(admin)
                        // ADMIN, or an INSIDE_SALES user who manages the new owner's team (checked by the handler)
                        .requestMatchers("/api/v1/prospects/*/owner")
                        .hasAnyRole(admin, Role.INSIDE_SALES.name())
                        .requestMatchers("/api/v1/prospects/*/score/**")
                        .hasAnyRole(admin, marketing)
                        .requestMatchers("/api/v1/prospects/*/merge")
                        .hasAnyRole(admin, marketing)
                        .requestMatchers("/api/v1/opportunities/**", "/api/v1/tasks/**")
                        .hasAnyRole(admin, Role.INSIDE_SALES.name(), Role.SALES.name())
                        .requestMatchers("/api/v1/prospects/**")
                        .hasAnyRole(admin, marketing, Role.INSIDE_SALES.name(), Role.SALES.name())
                        // a CRM's sales key posts opportunity activities; which types a role may post: SalesActivities
                        .requestMatchers(POST, "/api/v1/activities")
                        .hasAnyRole(admin, marketing, Role.INSIDE_SALES.name(), Role.SALES.name())
                        .requestMatchers("/api/**")
                        .hasAnyRole(admin, marketing)
                        .anyRequest()
                        .denyAll())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain web(
            HttpSecurity http,
            ApiKeys apiKeys,
            JdbcClient jdbc,
            SignInThrottle throttle,
            UserDetailsService users,
            PasswordEncoder passwordEncoder,
            SecuritySettings settings)
            throws Exception {
        String admin = Role.ADMIN.name();
        String marketing = Role.MARKETING.name();
        String insideSales = Role.INSIDE_SALES.name();
        String sales = Role.SALES.name();
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
        passwords.setPasswordEncoder(passwordEncoder);
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        RequestMatcher apiDocs =
                new OrRequestMatcher(Arrays.stream(API_DOCS).map(path::matcher).toArray(RequestMatcher[]::new));
        return http
                // sign-in throttled per account and address; a session follows its user's current role and state
                .authenticationManager(new ProviderManager(new ThrottledSignIn(passwords, throttle)))
                .addFilterAfter(new CurrentUserFilter(jdbc), SecurityContextHolderFilter.class)
                // the API documentation also takes an API key (read-only, so no CSRF question arises)
                .addFilterBefore(
                        new ApiKeyAuthenticationFilter(apiKeys, apiDocs), UsernamePasswordAuthenticationFilter.class)
                .csrf(csrf -> csrf.ignoringRequestMatchers(PUBLIC_CAPTURE))
                .headers(h -> h.referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                        .contentSecurityPolicy(csp -> csp.policyDirectives(
                                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                        + "script-src 'self'; frame-ancestors 'none'; form-action 'self'")))
                .authorizeHttpRequests(auth -> auth.requestMatchers(PUBLIC_CAPTURE)
                        .permitAll()
                        .requestMatchers(
                                "/login", "/error", "/favicon.ico", "/webjars/**", "/css/**", "/js/**", "/img/**")
                        .permitAll()
                        // the API documentation: to anyone signed in (session or API key), or to all when an
                        // admin has made it public
                        .requestMatchers(apiDocs)
                        .access((who, request) ->
                                new AuthorizationDecision(settings.apiDocsPublic() || TRUST.isAuthenticated(who.get())))
                        .requestMatchers("/settings/users/**")
                        .hasRole(admin)
                        .requestMatchers("/settings/webhooks", "/settings/webhooks/**")
                        .hasRole(admin)
                        .requestMatchers("/settings/salesforce/**")
                        .hasRole(admin)
                        .requestMatchers(POST, "/campaigns/*/salesforce", "/campaigns/*/salesforce/**")
                        .hasRole(admin)
                        .requestMatchers(
                                "/settings/audit", "/settings/audit/**", "/prospects/*/export", "/prospects/*/erase")
                        .hasRole(admin)
                        .requestMatchers("/outbox", "/outbox/**")
                        .hasAnyRole(admin, marketing)
                        // Who may submit a UI form. "/x/**" also matches "/x".
                        // Marketing configuration, and a prospect's score by hand:
                        .requestMatchers(
                                POST,
                                "/programs/**",
                                "/emails/**",
                                "/automation/**",
                                "/lists/**",
                                "/scoring/**",
                                "/grading/**",
                                "/lifecycle",
                                "/prospects/*/score/**",
                                "/sales/sla")
                        .hasAnyRole(admin, marketing)
                        // Sales work: leads (attempts, accept, reject, convert) and opportunities:
                        .requestMatchers(POST, "/sales/leads/**", "/opportunities/**")
                        .hasAnyRole(admin, insideSales, sales)
                        // Reassigning a prospect; Owners also requires an INSIDE_SALES user to manage the new team:
                        .requestMatchers(POST, "/prospects/*/owner")
                        .hasAnyRole(admin, insideSales)
                        // Every user manages their own API keys, language and saved views; custom fields as on the API:
                        .requestMatchers(POST, "/settings/api-keys/**", "/settings/me", "/prospects/views/**")
                        .authenticated()
                        .requestMatchers(POST, "/settings/custom-fields/**")
                        .hasAnyRole(admin, marketing)
                        // Routing and the admin settings:
                        .requestMatchers(POST, "/assignment/**", "/settings/**")
                        .hasRole(admin)
                        // Read-only previews that post a condition, and signing out:
                        .requestMatchers(POST, "/conditions/preview", "/conditions/try", "/logout")
                        .authenticated()
                        // Any other form post: closed to all but ADMIN and MARKETING until it is given a rule above.
                        .requestMatchers(POST, "/**")
                        .hasAnyRole(admin, marketing)
                        .anyRequest()
                        .authenticated())
                .formLogin(form ->
                        form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
                .build();
    }
}
