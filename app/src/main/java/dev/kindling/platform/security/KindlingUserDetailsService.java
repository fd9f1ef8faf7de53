package dev.kindling.platform.security;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/** UI sign-in by email and password against {@code app_user}. */
@Component
class KindlingUserDetailsService implements UserDetailsService {

    private final JdbcClient jdbc;

    KindlingUserDetailsService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        String email = username == null ? "" : username.strip().toLowerCase(java.util.Locale.ROOT);
        return jdbc.sql(
                        "SELECT email, password_hash, role, active FROM app_user WHERE email = :email AND password_hash IS NOT NULL")
                .param("email", email)
                .query((rs, n) -> User.withUsername(rs.getString(1))
                        .password(rs.getString(2))
                        .authorities(List.of(new SimpleGrantedAuthority(
                                Role.valueOf(rs.getString(3)).authority())))
                        .disabled(!rs.getBoolean(4))
                        .build())
                .optional()
                .orElseThrow(() -> new UsernameNotFoundException("unknown user"));
    }
}
