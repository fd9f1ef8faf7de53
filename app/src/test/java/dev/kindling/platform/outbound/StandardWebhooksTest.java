package dev.kindling.platform.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardWebhooksTest {

    // the example of the Standard Webhooks specification and its reference libraries
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long TIMESTAMP = 1614265330;
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void theSignatureIsTheOneOfTheSpecificationsExample() {
        assertThat(StandardWebhooks.signature(List.of(SECRET), ID, TIMESTAMP, BODY))
                .isEqualTo(EXPECTED);
    }

    @Test
    void duringARotationBothSecretsSignSpaceSeparatedAndEitherVerifies() {
        String fresh = StandardWebhooks.newSecret();
        String header = StandardWebhooks.signature(List.of(fresh, SECRET), ID, TIMESTAMP, BODY);
        assertThat(List.of(header.split(" "))).hasSize(2).last().isEqualTo(EXPECTED);
        Instant now = Instant.ofEpochSecond(TIMESTAMP + 60);
        assertThat(StandardWebhooks.verify(StandardWebhooks.key(SECRET), ID, "" + TIMESTAMP, header, BODY, now))
                .isTrue();
        assertThat(StandardWebhooks.verify(StandardWebhooks.key(fresh), ID, "" + TIMESTAMP, header, BODY, now))
                .isTrue();
    }

    @Test
    void aWrongBodyIdSecretOrAStaleOrFutureTimestampDoesNotVerify() {
        byte[] key = StandardWebhooks.key(SECRET);
        Instant now = Instant.ofEpochSecond(TIMESTAMP);
        assertThat(StandardWebhooks.verify(key, ID, "" + TIMESTAMP, EXPECTED, "{}".getBytes(), now))
                .isFalse();
        assertThat(StandardWebhooks.verify(key, "msg_other", "" + TIMESTAMP, EXPECTED, BODY, now))
                .isFalse();
        assertThat(StandardWebhooks.verify(
                        StandardWebhooks.key(StandardWebhooks.newSecret()), ID, "" + TIMESTAMP, EXPECTED, BODY, now))
                .isFalse();
        assertThat(StandardWebhooks.verify(key, ID, "" + TIMESTAMP, EXPECTED, BODY, now.plusSeconds(301)))
                .isFalse();
        assertThat(StandardWebhooks.verify(key, ID, "" + TIMESTAMP, EXPECTED, BODY, now.minusSeconds(301)))
                .isFalse();
        assertThat(StandardWebhooks.verify(key, ID, "1e9", EXPECTED, BODY, now)).isFalse();
        assertThat(StandardWebhooks.verify(key, ID, "" + TIMESTAMP, EXPECTED.replace("v1,", "v2,"), BODY, now))
                .isFalse();
        assertThat(StandardWebhooks.verify(key, null, "" + TIMESTAMP, EXPECTED, BODY, now))
                .isFalse();
    }

    @Test
    void aNewSecretIsWhsecAndThirtyTwoRandomBytesInBase64() {
        String secret = StandardWebhooks.newSecret();
        assertThat(secret).startsWith("whsec_").isNotEqualTo(StandardWebhooks.newSecret());
        assertThat(StandardWebhooks.key(secret)).hasSize(32);
        assertThatThrownBy(() -> StandardWebhooks.key("whsec_not base64!"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
