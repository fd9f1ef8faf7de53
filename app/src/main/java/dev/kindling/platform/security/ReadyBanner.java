package dev.kindling.platform.security;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The last block of the start log: where Kindling listens and how to sign in — with the password on the first start
 * only — and whatever {@link StartNote}s add (the demo: its users, and that a line will say when it has loaded).
 */
@Component
class ReadyBanner {

    private static final Logger log = LoggerFactory.getLogger(ReadyBanner.class);
    private static final String RULE = "=".repeat(100);

    private final AdminBootstrap admin;
    private final Environment environment;
    private final ObjectProvider<StartNote> notes;

    ReadyBanner(AdminBootstrap admin, Environment environment, ObjectProvider<StartNote> notes) {
        this.admin = admin;
        this.environment = environment;
        this.notes = notes;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(Ordered.LOWEST_PRECEDENCE)
    public void ready() {
        log.info("{}", text());
    }

    String text() {
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        String password = admin.firstStartPassword();
        StringBuilder text = new StringBuilder("\n")
                .append(RULE)
                .append('\n')
                .append("Kindling is ready at http://localhost:")
                .append(port)
                .append(" — sign in as ")
                .append(admin.email())
                .append(password == null ? "" : " with password " + password)
                .append('\n');
        notes.orderedStream()
                .map(StartNote::lines)
                .flatMap(List::stream)
                .forEach(line -> text.append(line).append('\n'));
        return text.append(RULE).toString();
    }
}
