package dev.kindling.sales;

import dev.kindling.platform.security.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;

/** The signed-in user (UI) or the API key's holder, as the sales capability sees them: who, which team, which role. */
record Rep(long id, String email, String name, Long teamId, Role role) {

    /** The roles that work leads: accept, reject, convert, log attempts. */
    boolean maySell() {
        return role == Role.ADMIN || role == Role.INSIDE_SALES || role == Role.SALES;
    }

    static Rep of(Authentication who, JdbcClient jdbc) {
        if (who == null) {
            throw new AccessDeniedException("Not signed in");
        }
        Role role = who.getAuthorities().stream()
                .map(a -> a.getAuthority())
                .flatMap(a -> java.util.Arrays.stream(Role.values())
                        .filter(r -> r.authority().equals(a)))
                .findFirst()
                .orElse(Role.VIEWER);
        return jdbc.sql("SELECT id, email, name, team_id FROM app_user WHERE email = :email")
                .param("email", who.getName())
                .query((rs, n) ->
                        new Rep(rs.getLong(1), rs.getString(2), rs.getString(3), (Long) rs.getObject(4), role))
                .optional()
                .orElseThrow(() -> new AccessDeniedException("Unknown user"));
    }

    static Rep seller(Authentication who, JdbcClient jdbc) {
        Rep rep = of(who, jdbc);
        if (!rep.maySell()) {
            throw new AccessDeniedException("Only ADMIN, INSIDE_SALES and SALES work leads");
        }
        return rep;
    }
}
