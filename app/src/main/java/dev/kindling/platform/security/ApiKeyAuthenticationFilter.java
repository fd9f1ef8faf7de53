package dev.kindling.platform.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <api key>} on the requests it applies to (the whole API; in the UI
 * chain only the API documentation); anything else stays anonymous (and gets 401 later). The key acts with its
 * role narrowed to its user's current role ({@link ApiKeys#find}).
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private final ApiKeys apiKeys;
    private final RequestMatcher appliesTo;

    ApiKeyAuthenticationFilter(ApiKeys apiKeys) {
        this(apiKeys, AnyRequestMatcher.INSTANCE);
    }

    ApiKeyAuthenticationFilter(ApiKeys apiKeys, RequestMatcher appliesTo) {
        this.apiKeys = apiKeys;
        this.appliesTo = appliesTo;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !appliesTo.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String key = header.substring(7).strip();
            if (!key.isEmpty() && key.length() <= 200) {
                apiKeys.find(key).ifPresent(holder -> {
                    var principal =
                            new KindlingPrincipal(holder.userId(), holder.email(), holder.role(), holder.keyId());
                    var auth = new UsernamePasswordAuthenticationToken(
                            principal,
                            null,
                            List.of(new SimpleGrantedAuthority(holder.role().authority())));
                    // a context of its own: a session's stored context is never changed by a key
                    var context = SecurityContextHolder.createEmptyContext();
                    context.setAuthentication(auth);
                    SecurityContextHolder.setContext(context);
                });
            }
        }
        chain.doFilter(request, response);
    }
}
