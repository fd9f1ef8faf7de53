package dev.kindling.salesforce;

import dev.kindling.platform.cluster.ConfigurationChanged;
import dev.kindling.platform.cluster.ConfigurationChanges;
import dev.kindling.salesforce.SalesforceClient.ClientCredentials;
import dev.kindling.salesforce.SalesforceClient.Credentials;
import dev.kindling.salesforce.SalesforceClient.JwtBearer;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The connector's connection: from the environment ({@code KINDLING_SALESFORCE_*}, which takes precedence) or the
 * settings page (the {@code salesforce_connection} row, its secret encrypted by {@link SecretBox}). Without either
 * the connector does nothing and Kindling runs as without it.
 */
@Component
public class SalesforceSettings {

    static final String DEFAULT_LOGIN_URL = "https://login.salesforce.com";
    static final String DEFAULT_API_VERSION = "66.0";

    /** How the connector signs in. */
    public enum Auth {
        CLIENT_CREDENTIALS,
        JWT_BEARER
    }

    /** Where the connection comes from. */
    public enum Source {
        ENVIRONMENT,
        SETTINGS
    }

    /** A configured connection. {@code secret} is the client secret or the JWT signing key (PKCS#8 PEM). */
    public record Connection(
            String loginUrl,
            String apiVersion,
            Auth auth,
            String clientId,
            String username,
            String secret,
            int budgetPercent,
            int cycleSeconds,
            boolean paused,
            Source source) {

        @Override
        public String toString() {
            return "Connection[" + loginUrl + ", v" + apiVersion + ", " + auth + ", " + clientId + ", " + source + "]";
        }
    }

    /** The topic of a change to the connection or the field mapping ({@link ConfigurationChanges}). */
    static final String TOPIC = "salesforce";

    private final JdbcClient jdbc;
    private final ConfigurationChanges changes;
    private final SecretBox box;
    private final Connection environment;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private volatile Optional<Connection> cached;
    /** Pausing a connection from the environment lasts until the next start (the environment says nothing of it). */
    private volatile boolean environmentPaused;

    SalesforceSettings(
            JdbcClient jdbc,
            ConfigurationChanges changes,
            @Value("${kindling.secret:}") String secret,
            @Value("${kindling.data-dir}") Path dataDir,
            @Value("${kindling.salesforce.login-url:" + DEFAULT_LOGIN_URL + "}") String loginUrl,
            @Value("${kindling.salesforce.api-version:" + DEFAULT_API_VERSION + "}") String apiVersion,
            @Value("${kindling.salesforce.client-id:}") String clientId,
            @Value("${kindling.salesforce.client-secret:}") String clientSecret,
            @Value("${kindling.salesforce.username:}") String username,
            @Value("${kindling.salesforce.private-key:}") String privateKey,
            @Value("${kindling.salesforce.budget-percent:20}") int budgetPercent,
            @Value("${kindling.salesforce.cycle-seconds:60}") int cycleSeconds) {
        this.jdbc = jdbc;
        this.changes = changes;
        this.box = SecretBox.of(secret, dataDir);
        if (clientId.isBlank()) {
            this.environment = null;
        } else {
            boolean jwt = !privateKey.isBlank();
            this.environment = new Connection(
                    loginUrl,
                    apiVersion,
                    jwt ? Auth.JWT_BEARER : Auth.CLIENT_CREDENTIALS,
                    clientId,
                    jwt ? username : null,
                    jwt ? privateKey : clientSecret,
                    budgetPercent,
                    cycleSeconds,
                    false,
                    Source.ENVIRONMENT);
        }
    }

    /** The connection in force, if any. Read from the database once, then after each {@link #save}. */
    public Optional<Connection> current() {
        if (environment != null) {
            Connection e = environment;
            return Optional.of(new Connection(
                    e.loginUrl(),
                    e.apiVersion(),
                    e.auth(),
                    e.clientId(),
                    e.username(),
                    e.secret(),
                    e.budgetPercent(),
                    e.cycleSeconds(),
                    environmentPaused,
                    e.source()));
        }
        Optional<Connection> s = cached;
        if (s == null) {
            s = jdbc.sql("""
                    SELECT login_url, api_version, auth, client_id, username, secret, budget_percent, cycle_seconds,
                           paused FROM salesforce_connection""")
                    .query((rs, n) -> new Connection(
                            rs.getString(1),
                            rs.getString(2),
                            Auth.valueOf(rs.getString(3)),
                            rs.getString(4),
                            rs.getString(5),
                            box.open(rs.getBytes(6)),
                            rs.getInt(7),
                            rs.getInt(8),
                            rs.getBoolean(9),
                            Source.SETTINGS))
                    .optional();
            cached = s;
        }
        return s;
    }

    /** Store the connection of the settings page (secret encrypted). */
    void save(Connection c, java.time.Instant now) {
        jdbc.sql("""
                INSERT INTO salesforce_connection (id, login_url, api_version, auth, client_id, username, secret,
                                                   budget_percent, cycle_seconds, paused, updated_at)
                VALUES (1, :login, :version, :auth, :client, :username, :secret, :budget, :cycle, :paused, :now)
                ON CONFLICT (id) DO UPDATE SET login_url = EXCLUDED.login_url, api_version = EXCLUDED.api_version,
                       auth = EXCLUDED.auth, client_id = EXCLUDED.client_id, username = EXCLUDED.username,
                       secret = EXCLUDED.secret, budget_percent = EXCLUDED.budget_percent,
                       cycle_seconds = EXCLUDED.cycle_seconds, paused = EXCLUDED.paused, updated_at = EXCLUDED.updated_at""")
                .param("login", c.loginUrl())
                .param("version", c.apiVersion())
                .param("auth", c.auth().name())
                .param("client", c.clientId())
                .param("username", c.username())
                .param("secret", box.seal(c.secret()))
                .param("budget", c.budgetPercent())
                .param("cycle", c.cycleSeconds())
                .param("paused", c.paused())
                .param("now", java.sql.Timestamp.from(now))
                .update();
        cached = null;
        changes.announce(TOPIC);
    }

    @org.springframework.context.event.EventListener
    void forget(ConfigurationChanged changed) {
        if (changed.concerns(TOPIC)) {
            cached = null;
        }
    }

    /** Pauses (or resumes) the connector: stored with a saved connection, in memory for one from the environment. */
    void pause(boolean paused, java.time.Instant now) {
        if (environment != null) {
            environmentPaused = paused;
            return;
        }
        jdbc.sql("UPDATE salesforce_connection SET paused = :paused, updated_at = :now")
                .param("paused", paused)
                .param("now", java.sql.Timestamp.from(now))
                .update();
        cached = null;
        changes.announce(TOPIC);
    }

    /** A client for {@code c}, pausing between retries with a real sleep. */
    public SalesforceClient client(Connection c, Clock clock) {
        Credentials credentials = c.auth() == Auth.JWT_BEARER
                ? new JwtBearer(c.clientId(), c.username(), privateKey(c.secret()))
                : new ClientCredentials(c.clientId(), c.secret());
        return new SalesforceClient(
                c.loginUrl(),
                c.apiVersion(),
                credentials,
                http,
                clock,
                d -> Thread.sleep(d.toMillis()),
                ThreadLocalRandom.current());
    }

    /** An RSA private key from PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    static PrivateKey privateKey(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWT key is not an RSA private key in PKCS#8 PEM");
        }
    }
}
