package dev.kindling.platform.security;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On first start (no users yet) creates the admin account and an admin API key, from
 * {@code KINDLING_ADMIN_PASSWORD} / {@code KINDLING_ADMIN_API_KEY} when set, otherwise generated
 * and printed once to the log. Later starts change nothing.
 */
@Component
@Order(0)
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final JdbcClient jdbc;
    private final ApiKeys apiKeys;
    private final Accounts accounts;
    private final PasswordEncoder passwords;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final String email;
    private final String password;
    private final String apiKey;
    /** What the start banner says of the password on the first start (null on later starts). */
    private volatile String firstStartPassword;

    AdminBootstrap(
            JdbcClient jdbc,
            ApiKeys apiKeys,
            PasswordEncoder passwords,
            TransactionTemplate tx,
            Clock clock,
            @Value("${kindling.admin.email}") String email,
            @Value("${kindling.admin.password}") String password,
            @Value("${kindling.admin.api-key}") String apiKey,
            Accounts accounts) {
        this.accounts = accounts;
        this.jdbc = jdbc;
        this.apiKeys = apiKeys;
        this.passwords = passwords;
        this.tx = tx;
        this.clock = clock;
        this.email = email.strip().toLowerCase(java.util.Locale.ROOT);
        this.password = password;
        this.apiKey = apiKey;
    }

    String email() {
        return email;
    }

    /** The generated password, or where the configured one comes from; null unless this start created the admin. */
    String firstStartPassword() {
        return firstStartPassword;
    }

    @Override
    public void run(ApplicationArguments args) {
        tx.executeWithoutResult(status -> {
            jdbc.sql("LOCK TABLE app_user IN EXCLUSIVE MODE").update();
            long users =
                    jdbc.sql("SELECT count(*) FROM app_user").query(Long.class).single();
            if (users > 0) {
                return;
            }
            boolean generatedPassword = password == null || password.isBlank();
            boolean generatedKey = apiKey == null || apiKey.isBlank();
            String adminPassword = generatedPassword ? ApiKeys.newKey().substring(4, 24) : password;
            String adminKey = generatedKey ? ApiKeys.newKey() : apiKey.strip();
            long userId = accounts.create(
                    email, "Administrator", "ADMIN", passwords.encode(adminPassword), null, true, clock.instant());
            apiKeys.register(userId, "bootstrap", Role.ADMIN, adminKey);
            firstStartPassword = generatedPassword ? adminPassword : "from KINDLING_ADMIN_PASSWORD";
            log.info(
                    "Created the admin user {}{}{}",
                    email,
                    generatedPassword ? " with the generated password: " + adminPassword : "",
                    generatedKey ? " and the generated API key: " + adminKey : "");
        });
    }
}
