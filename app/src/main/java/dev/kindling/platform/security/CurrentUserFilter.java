package dev.kindling.platform.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A signed-in session acts with its user's role of this moment, not the one it signed in with: on every request
 * the user's row is read again (one indexed single-row query). A changed role replaces the request's authorities;
 * a deactivated or deleted user's session is invalidated, so the request goes on anonymous (to the login page, or
 * refused for want of the session's CSRF token).
 *
 * <p>Not for the static files, which anyone may fetch ({@code SecurityConfiguration}): a page's stylesheet, scripts
 * and logo would each read the session and the user again for nothing (docs/testing.md, the seventeenth pass).
 */
class CurrentUserFilter extends OncePerRequestFilter {

    private final JdbcClient jdbc;

    CurrentUserFilter(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The static files' paths, open to anyone: no user is needed to answer them. */
    private static final List<String> STATIC = List.of("/webjars/", "/css/", "/js/", "/img/");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return STATIC.stream().anyMatch(path::startsWith);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication signedIn = SecurityContextHolder.getContext().getAuthentication();
        if (signedIn instanceof UsernamePasswordAuthenticationToken && signedIn.isAuthenticated()) {
            Optional<Role> current = currentRole(signedIn.getName());
            if (current.isEmpty()) {
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
                SecurityContextHolder.clearContext();
            } else if (!Role.any(signedIn, current.get())) {
                // this request only: the next one is checked again, so the session never needs rewriting
                var updated = UsernamePasswordAuthenticationToken.authenticated(
                        signedIn.getPrincipal(),
                        null,
                        List.of(new SimpleGrantedAuthority(current.get().authority())));
                updated.setDetails(signedIn.getDetails());
                SecurityContext context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(updated);
                SecurityContextHolder.setContext(context);
            }
        }
        chain.doFilter(request, response);
    }

    /** The role of the active user with this email, or empty when there is no such active user. */
    private Optional<Role> currentRole(String email) {
        return jdbc.sql("SELECT role FROM app_user WHERE email = :email AND active")
                .param("email", email)
                .query((rs, n) -> Role.valueOf(rs.getString(1)))
                .optional();
    }
}
