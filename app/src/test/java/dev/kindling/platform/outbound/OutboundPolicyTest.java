package dev.kindling.platform.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.platform.web.FieldError;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.Test;

class OutboundPolicyTest {

    /** A DNS whose answers the test sets. */
    static final class FakeDns implements DnsResolver {
        final Map<String, String> answers = new HashMap<>();

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            String address = answers.getOrDefault(host, host);
            if (!address.matches("[0-9a-fA-F.:]+")) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(address)};
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }

    final FakeDns dns = new FakeDns();

    @Test
    void everyNonPublicAddressIsRefusedAndPublicOnesPass() {
        OutboundPolicy policy = new OutboundPolicy("", dns);
        for (String address : List.of(
                "127.0.0.1",
                "127.9.9.9",
                "0.0.0.0",
                "10.0.0.1",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.0.1",
                "169.254.169.254",
                "100.64.0.1",
                "100.127.255.255",
                "224.0.0.1",
                "239.1.1.1",
                "255.255.255.255",
                "240.0.0.1",
                "::1",
                "::",
                "fe80::1",
                "fc00::1",
                "fd00:ec2::254",
                "ff02::1",
                "::ffff:10.0.0.1",
                "64:ff9b::a9fe:a9fe",
                "2002:7f00:1::1",
                "198.18.0.1")) {
            assertThat(OutboundPolicy.forbidden(addressOf(address))).as(address).isNotNull();
        }
        for (String address :
                List.of("93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "192.0.2.1")) {
            assertThat(OutboundPolicy.forbidden(addressOf(address))).as(address).isNull();
        }
        assertThat(policy.refusal("8.8.8.8")).isNull();
        assertThat(policy.refusal("169.254.169.254")).contains("link-local", "kindling.outbound.allowed-hosts");
    }

    @Test
    void aNameIsJudgedByTheAddressesItResolvesToAndAnAllowedHostPassesWhateverItsAddress() throws Exception {
        dns.answers.put("metadata.internal", "169.254.169.254");
        dns.answers.put("hooks.partner.example", "10.1.2.3");
        OutboundPolicy policy = new OutboundPolicy(" Hooks.Partner.Example. ,[::1]", dns);
        List<FieldError> errors = new ArrayList<>();
        assertThat(policy.webhookUrl("http://metadata.internal/latest", "url", errors))
                .isNull();
        assertThat(errors).extracting(FieldError::field).containsExactly("url");
        assertThat(policy.webhookUrl("https://hooks.partner.example/in", "url", errors))
                .isEqualTo(URI.create("https://hooks.partner.example/in"));
        assertThat(policy.resolve("hooks.partner.example")).hasSize(1);
        assertThat(policy.webhookUrl("http://[::1]:8080/in", "url", errors)).isNotNull();
        assertThat(errors).hasSize(1);
    }

    @Test
    void aNameThatResolvesToAPrivateAddressOnlyAtDeliveryIsRefusedThenDnsRebindingFails() throws Exception {
        OutboundPolicy policy = new OutboundPolicy("", dns);
        dns.answers.put("rebind.example", "93.184.215.14");
        List<FieldError> errors = new ArrayList<>();
        assertThat(policy.webhookUrl("https://rebind.example/hook", "url", errors))
                .isNotNull();
        dns.answers.put("rebind.example", "127.0.0.1");
        assertThatThrownBy(() -> policy.resolve("rebind.example"))
                .isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("refused")
                .hasMessageContaining("loopback");
    }

    @Test
    void onlyAbsoluteHttpUrlsWithAHostAndNoUserInfoAreWebhookUrls() {
        OutboundPolicy policy = new OutboundPolicy("", dns);
        for (Object bad : new Object[] {
            "ftp://8.8.8.8/x",
            "/relative",
            "https://user:pw@8.8.8.8/",
            "not a url",
            "",
            42,
            null,
            "https://8.8.8.8/" + "a".repeat(2000)
        }) {
            List<FieldError> errors = new ArrayList<>();
            assertThat(policy.webhookUrl(bad, "actions[0].url", errors))
                    .as(String.valueOf(bad))
                    .isNull();
            assertThat(errors).extracting(FieldError::field).containsExactly("actions[0].url");
        }
        assertThat(policy.webhookUrl("https://unresolvable.example/x", "url", new ArrayList<>()))
                .as("a name that does not resolve now is checked again at delivery")
                .isNotNull();
    }

    private static InetAddress addressOf(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
