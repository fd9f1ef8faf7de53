package dev.kindling.capture.tracking;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.intake.ActivityIntake;
import dev.kindling.intake.NewActivity;
import dev.kindling.intake.Visitors;
import dev.kindling.privacy.Consents;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records a page view: a PAGE_VIEW activity of the visitor, and the visitor row (first and last
 * seen, user agent, bot flag, and the UTM parameters of its first tracked visit), in one transaction.
 */
@Component
class PageViews {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ActivityIntake intake;
    private final Visitors visitors;
    private final JsonMapper json;
    private final Clock clock;
    private final Consents consents;

    PageViews(ActivityIntake intake, Visitors visitors, JsonMapper json, Clock clock, Consents consents) {
        this.consents = consents;
        this.intake = intake;
        this.visitors = visitors;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    void record(PageView view, String userAgent, boolean bot) {
        if (consents.trackingWithdrawn(view.visitor().value())) {
            return; // the visitor's prospect withdrew tracking consent: nothing is collected
        }
        Instant now = clock.instant();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("url", view.url());
        putIfPresent(properties, "title", view.title());
        putIfPresent(properties, "referrer", view.referrer());
        properties.putAll(view.utm());
        putIfPresent(properties, "userAgent", userAgent);
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        String externalId =
                "pv-" + view.visitor().value() + "-" + HexFormat.of().formatHex(random);
        visitors.seen(view.visitor().value(), now, userAgent, bot, json.writeValueAsString(view.utm()));
        intake.accept(List.of(new NewActivity(
                externalId,
                null,
                null,
                view.visitor().value(),
                ActivityType.PAGE_VIEW,
                null,
                now,
                null,
                properties,
                bot)));
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(key, value);
        }
    }
}
