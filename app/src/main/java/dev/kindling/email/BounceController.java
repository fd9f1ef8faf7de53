package dev.kindling.email;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;

/**
 * Bounces come in two ways: {@code POST /api/v1/email/bounces} with an API key, and {@code POST /e/bounces}, a
 * webhook for a mail provider that cannot send an API key, authenticated by
 * {@code X-Kindling-Signature: sha256=<hex HMAC-SHA256 of the body>} with {@code kindling.email.bounce-webhook-secret}
 * (the webhook does not exist while that secret is unset).
 */
@RestController
class BounceController {

    private final Bounces bounces;
    private final JsonMapper json;
    private final byte[] webhookSecret;

    BounceController(Bounces bounces, JsonMapper json,
            @Value("${kindling.email.bounce-webhook-secret:}") String webhookSecret) {
        this.bounces = bounces;
        this.json = json;
        this.webhookSecret = webhookSecret == null || webhookSecret.isBlank() ? null
                : webhookSecret.getBytes(StandardCharsets.UTF_8);
    }

    @PostMapping(path = "/api/v1/email/bounces", consumes = "application/json", produces = "application/json")
    ResponseEntity<Map<String, Object>> api(@RequestBody JsonNode body) {
        Bounces.Bounce bounce = Bounces.validate(body);
        Bounces.Result result = bounces.record(bounce);
        if (result.prospectId() == null) {
            throw InvalidInputException.of("email", "is the address of no prospect");
        }
        return ResponseEntity.ok(view(result));
    }

    @PostMapping(path = "/e/bounces", produces = "application/json")
    ResponseEntity<Map<String, Object>> webhook(@RequestBody byte[] body,
            @RequestHeader(name = "X-Kindling-Signature", required = false) String signature) {
        if (webhookSecret == null) {
            throw new NotFoundException("No bounce webhook is configured");
        }
        byte[] expected = ("sha256=" + HexFormat.of().formatHex(hmac(body))).getBytes(StandardCharsets.US_ASCII);
        if (signature == null || !MessageDigest.isEqual(expected, signature.strip().getBytes(StandardCharsets.US_ASCII))) {
            return ResponseEntity.status(401).body(Map.of("title", "The signature does not match the body"));
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

    private byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(webhookSecret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
