package dev.kindling.engine.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

    @Test
    void normalisesCaseAndSurroundingSpaceSoOnePersonIsOneProspect() {
        assertThat(EmailAddress.parse("  Ada.Lovelace@Example.COM \t").value()).isEqualTo("ada.lovelace@example.com");
        assertThat(EmailAddress.parse("ada+news@example.co.jp").domain()).isEqualTo("example.co.jp");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "plain",
                "@example.com",
                "a@",
                "a@b",
                "a@@b.com",
                "a b@example.com",
                "a@exa mple.com",
                ".a@example.com",
                "a..b@example.com",
                "<script>@x.com",
                "a@-example.com"
            })
    void refusesWhatIsNotAnEmailAddress(String raw) {
        assertThat(EmailAddress.parse(raw)).isNull();
    }

    @Test
    void refusesOverlongAddresses() {
        assertThat(EmailAddress.parse("a".repeat(65) + "@example.com")).isNull();
        assertThat(EmailAddress.parse("a@" + "b".repeat(250) + ".com")).isNull();
        assertThat(EmailAddress.parse(null)).isNull();
    }
}
