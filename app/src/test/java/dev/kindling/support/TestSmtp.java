package dev.kindling.support;

import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real SMTP server (GreenMail) on a port chosen before the Spring context starts, so the app's mail settings can
 * point at it.
 *
 * <p>The shared moving-clock context ({@link MovingClockTest}) always sends to {@link #movingClock()}, one server for
 * the JVM: a class register it as an extension and finds its mails by their (unique) recipients:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestSmtp smtp = TestSmtp.movingClock();
 * }</pre>
 *
 * A context of its own registers a server of its own and hands its settings to the app:
 *
 * <pre>{@code
 * @RegisterExtension
 * static TestSmtp smtp = new TestSmtp("kindling@notify.example");
 *
 * @DynamicPropertySource
 * static void mail(DynamicPropertyRegistry registry) {
 *     smtp.register(registry);
 * }
 * }</pre>
 *
 * A class's own server runs from before its first test to after its last; the shared one runs for the JVM. A test may
 * {@link #stop()} and {@link #start()} either to play an outage (the shared one is started again after the class if a
 * test left it stopped).
 */
public final class TestSmtp implements BeforeAllCallback, AfterAllCallback {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The sender address of the shared moving-clock context. */
    public static final String MOVING_CLOCK_FROM = "kindling@moving-clock.example";

    private static TestSmtp movingClock;

    private final int port = freePort();
    private final String from;
    private final boolean shared;
    private volatile GreenMail server;

    /** {@code from} is the app's sender address ({@code kindling.mail.from}). */
    public TestSmtp(String from) {
        this(from, false);
    }

    private TestSmtp(String from, boolean shared) {
        this.from = from;
        this.shared = shared;
    }

    /** The server of the shared moving-clock context, started on first use, sending as {@link #MOVING_CLOCK_FROM}. */
    public static synchronized TestSmtp movingClock() {
        if (movingClock == null) {
            movingClock = new TestSmtp(MOVING_CLOCK_FROM, true);
            movingClock.start();
        }
        return movingClock;
    }

    /** Points the app's mail sender at this server, in plain SMTP, sending as {@code from}. */
    public void register(DynamicPropertyRegistry registry) {
        properties().forEach((name, value) -> registry.add(name, () -> value));
    }

    /** The same settings as {@link #register}, as properties. */
    public Map<String, Object> properties() {
        return Map.of(
                "kindling.mail.smtp.host",
                "127.0.0.1",
                "kindling.mail.smtp.port",
                port,
                "kindling.mail.smtp.tls",
                "none",
                "kindling.mail.from",
                from);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (shared) {
            start();
        } else {
            stop();
        }
    }

    /**
     * Starts a new, empty server on this port (mails received before a {@link #stop()} are gone); nothing if it is
     * running.
     */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        GreenMail started = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        started.start();
        server = started;
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Every mail received so far whose first recipient is {@code to}, in the order received. */
    public List<MimeMessage> mailsTo(String to) {
        GreenMail current = server;
        if (current == null) {
            return List.of();
        }
        return Arrays.stream(current.getReceivedMessages())
                .filter(m -> {
                    try {
                        return m.getAllRecipients()[0].toString().equals(to);
                    } catch (MessagingException e) {
                        return false;
                    }
                })
                .toList();
    }

    /** The first mail to {@code to}, waiting up to 20 s for it to arrive. */
    public MimeMessage awaitMailTo(String to) {
        await("a mail to " + to).atMost(WAIT).until(() -> !mailsTo(to).isEmpty());
        return mailsTo(to).getFirst();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
