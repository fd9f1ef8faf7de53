package dev.kindling.email;

import dev.kindling.platform.outbound.StandardWebhooks;
import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounces come in two ways: {@code POST /api/v1/email/bounces} with an API key, and {@code POST /e/bounces}, a
 * webhook for a mail provider that cannot send an API key, signed the Standard Webhooks way ({@link StandardWebhooks},
 * like the webhooks Kindling sends) with {@code kindling.email.bounce-webhook-secret} ({@code whsec_…}): a call whose
 * signature does not verify or whose timestamp is more than 5 minutes off (a replay) is 401. The webhook does not
 * exist while that secret is unset.
 */
@RestController
class BounceController {

    private final Bounces bounces;
    private final JsonMapper json;
    private final byte[] webhookKey;
    private final Clock clock;

    BounceController(
            Bounces bounces,
            JsonMapper json,
            Clock clock,
            @Value("${kindling.email.bounce-webhook-secret:}") String webhookSecret) {
        this.bounces = bounces;
        this.json = json;
        this.clock = clock;
        try {
            this.webhookKey =
                    webhookSecret == null || webhookSecret.isBlank() ? null : StandardWebhooks.key(webhookSecret);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "kindling.email.bounce-webhook-secret must be a Standard Webhooks secret: "
                            + "whsec_ and base64 bytes",
                    e);
        }
    }

    @PostMapping(path = "/api/v1/email/bounces", consumes = "application/json", produces = "application/json")
    ResponseEntity<Map<String, Object>> api(@RequestBody BounceRequest body) {
        Bounces.Bounce bounce = Bounces.validate(body.givenTree());
        Bounces.Result result = bounces.record(bounce);
        if (result.prospectId() == null) {
            throw InvalidInputException.of("email", "is the address of no prospect");
        }
        return ResponseEntity.ok(view(result));
    }

    /** A bounce reported by the mail provider: the address, HARD or SOFT, why, and the message it answers. */
    record BounceRequest(
            String email,
            @Schema(allowableValues = {"HARD", "SOFT"}) String type,
            String reason,
            Long messageId) implements ApiRequest {
        @Override
        public void check(List<FieldError> errors) {
            ApiRequest.collect(errors, () -> Bounces.validate(givenTree()));
        }
    }

    @PostMapping(path = "/e/bounces", produces = "application/json")
    ResponseEntity<Map<String, Object>> webhook(
            @RequestBody byte[] body,
            @RequestHeader(name = StandardWebhooks.ID, required = false) String id,
            @RequestHeader(name = StandardWebhooks.TIMESTAMP, required = false) String timestamp,
            @RequestHeader(name = StandardWebhooks.SIGNATURE, required = false) String signature) {
        if (webhookKey == null) {
            throw new NotFoundException("No bounce webhook is configured");
        }
        if (!StandardWebhooks.verify(webhookKey, id, timestamp, signature, body, clock.instant())) {
            throw new ErrorResponseException(
                    HttpStatus.UNAUTHORIZED,
                    ProblemDetail.forStatusAndDetail(
                            HttpStatus.UNAUTHORIZED,
                            "The webhook-signature does not match webhook-id, webhook-timestamp and "
                                    + "the body, or the timestamp is more than 5 minutes off"),
                    null);
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JacksonException e) {
            throw InvalidInputException.of("body", "is not JSON");
        }
        // an unknown address is accepted and ignored: a provider would otherwise retry it for days
        return ResponseEntity.accepted().body(view(bounces.record(Bounces.validate(node))));
    }

    private static Map<String, Object> view(Bounces.Result r) {
        java.util.LinkedHashMap<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("prospectId", r.prospectId());
        out.put("undeliverable", r.undeliverable());
        out.put("softBounces", r.softBounces());
        return out;
    }
}
