package dev.kindling.engine.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.PropertyRuns;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

    /** The syntax as a regular expression, which {@link EmailAddress#matchesSyntax} reads by hand. */
    private static final Pattern SYNTAX = Pattern.compile(
            "[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

    /** What {@link EmailAddress#parse} answered with the regular expression. */
    private static String reference(String raw) {
        String normalized = raw == null ? null : raw.strip().toLowerCase(Locale.ROOT);
        return normalized != null
                        && normalized.length() <= EmailAddress.MAX_LENGTH
                        && SYNTAX.matcher(normalized).matches()
                        && !normalized.startsWith(".")
                        && !normalized.contains("..")
                ? normalized
                : null;
    }

    private static void answersAsTheRegularExpression(String text) {
        assertThat(EmailAddress.matchesSyntax(text))
                .as("%s", text)
                .isEqualTo(SYNTAX.matcher(text).matches());
        EmailAddress parsed = EmailAddress.parse(text);
        assertThat(parsed == null ? null : parsed.value()).as("%s", text).isEqualTo(reference(text));
    }

    @Test
    void theHandReadSyntaxAnswersAsTheRegularExpressionOnItsEdges() {
        String label63 = "a" + "-".repeat(61) + "b";
        for (String text : new String[] {
            "a@b.co",
            "a@b.c",
            "a@b.c0",
            "a@b-.com",
            "a@-b.com",
            "a@b--c.com",
            "a@" + label63 + ".com",
            "a@" + label63 + "c.com",
            "a@b." + "c".repeat(63),
            "a@b." + "c".repeat(64),
            "a".repeat(64) + "@b.com",
            "a".repeat(65) + "@b.com",
            "@b.com",
            "a@.com",
            "a@b..com",
            "a@b.com.",
            "a@com",
            "a@b@c.com",
            "a.@b.com",
            "a@B.com",
            "A@b.com",
            "a@b.COM",
            "{|}~`^@x-1.y2.zz",
            "a@1.2.io",
            "a@b.c.d.e.f.gh",
            "é@b.com",
            "a@é.com",
            "a@b.cé",
            "ſ@b.com",
            "a\u0000@b.com",
            "a@b.com\n",
            "",
            "@",
            "."
        }) {
            answersAsTheRegularExpression(text);
        }
    }

    @Test
    void everyTextAnswersAsTheRegularExpression() {
        Random random = new Random(16);
        String alphabet = "abcz09AZ.@-_+!{|}~` éİſ\u212A\u0000\t";
        for (int i = 0, n = PropertyRuns.cases(50_000, 500_000); i < n; i++) {
            StringBuilder text = new StringBuilder();
            if (random.nextBoolean()) {
                // near an address: a local part, labels and a last label of random lengths, then mutated
                text.append("x".repeat(random.nextInt(67)));
                text.append('@');
                for (int labels = random.nextInt(4); labels > 0; labels--) {
                    text.append(random.nextBoolean() ? "-" : "")
                            .append("y".repeat(random.nextInt(66)))
                            .append(random.nextInt(8) == 0 ? "-" : "")
                            .append('.');
                }
                text.append("z".repeat(random.nextInt(66)));
                for (int m = random.nextInt(3); m > 0 && !text.isEmpty(); m--) {
                    text.setCharAt(random.nextInt(text.length()), alphabet.charAt(random.nextInt(alphabet.length())));
                }
            } else {
                for (int k = random.nextInt(20); k > 0; k--) {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            answersAsTheRegularExpression(text.toString());
        }
    }

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
