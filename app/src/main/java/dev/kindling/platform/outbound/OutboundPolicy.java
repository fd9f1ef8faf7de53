package dev.kindling.platform.outbound;

import dev.kindling.platform.web.FieldError;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Which addresses Kindling's webhooks (subscriptions and the {@code callWebhook} action) may call: only public ones.
 * Loopback, unspecified, link-local (cloud metadata 169.254.169.254 included), private (RFC 1918, unique-local
 * fc00::/7 with fd00:ec2::254), shared CGNAT (100.64.0.0/10), multicast, broadcast and reserved addresses are refused —
 * when a URL is saved (its host's addresses, if it resolves now) and again at every delivery, where this policy is the
 * HTTP client's DNS resolver: the client connects only to addresses it returned, so a name that resolves to a public
 * address when checked and to a private one later (DNS rebinding) cannot slip through. Hosts named in
 * {@code kindling.outbound.allowed-hosts} (comma-separated names or IP literals, set by the operator) are allowed
 * whatever their addresses.
 */
@Component
public class OutboundPolicy implements DnsResolver {

    static final int MAX_URL = 2000;

    private final Set<String> allowedHosts;
    private final DnsResolver dns;

    @Autowired
    OutboundPolicy(@Value("${kindling.outbound.allowed-hosts:}") String allowedHosts) {
        this(allowedHosts, SystemDefaultDnsResolver.INSTANCE);
    }

    OutboundPolicy(String allowedHosts, DnsResolver dns) {
        this.allowedHosts = Arrays.stream(allowedHosts == null ? new String[0] : allowedHosts.split(","))
                .map(OutboundPolicy::hostKey)
                .filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.dns = dns;
    }

    /**
     * The webhook URL {@code raw} names: an absolute http(s) URL with a host, without user info, of at most 2000
     * characters, whose host is allowed or resolves only to public addresses. Otherwise null, with the problem added
     * to {@code errors} at {@code field}.
     */
    public URI webhookUrl(Object raw, String field, List<FieldError> errors) {
        URI url = syntax(raw);
        if (url == null) {
            errors.add(new FieldError(
                    field,
                    "must be an absolute http or https URL with a host, without user info, " + "of at most " + MAX_URL
                            + " characters"));
            return null;
        }
        String refusal = refusal(url.getHost());
        if (refusal != null) {
            errors.add(new FieldError(field, refusal));
            return null;
        }
        return url;
    }

    private static URI syntax(Object raw) {
        if (!(raw instanceof String s) || s.length() > MAX_URL || s.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(s.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute()
                    || !(scheme.equals("http") || scheme.equals("https"))
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null) {
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * Why {@code host} may not be called now, or null. A name that does not resolve now is accepted (DNS may be down
     * for a moment); the delivery checks again.
     */
    String refusal(String host) {
        if (allowedHosts.contains(hostKey(host))) {
            return null;
        }
        try {
            for (InetAddress address : dns.resolve(bare(host))) {
                String why = forbidden(address);
                if (why != null) {
                    return refusedMessage(host, address, why);
                }
            }
            return null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Resolves {@code host} for a delivery, refusing it (as unknown) if any of its addresses is not public. */
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = dns.resolve(bare(host));
        if (allowedHosts.contains(hostKey(host))) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            String why = forbidden(address);
            if (why != null) {
                throw new UnknownHostException(refusedMessage(host, address, why));
            }
        }
        return addresses;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return dns.resolveCanonicalHostname(host);
    }

    private static String refusedMessage(String host, InetAddress address, String why) {
        return "refused: " + host + " is " + address.getHostAddress() + ", " + why + "; webhooks call only public "
                + "addresses unless an admin allows the host (kindling.outbound.allowed-hosts)";
    }

    /** Why Kindling must not call {@code address} on a user's behalf, or null when it is a public address. */
    static String forbidden(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "an unspecified address";
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address (cloud metadata lives there)";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return forbiddenV4(b);
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "a unique-local (private) address";
            }
            if (address.isSiteLocalAddress()) {
                return "a site-local (private) address";
            }
            byte[] embedded = embeddedV4(b);
            if (embedded != null) {
                return forbiddenV4(embedded);
            }
        }
        return null;
    }

    private static String forbiddenV4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0) {
            return "an unspecified address";
        }
        if (first == 127) {
            return "a loopback address";
        }
        if (first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)) {
            return "a private address";
        }
        if (first == 169 && second == 254) {
            return "a link-local address (cloud metadata lives there)";
        }
        if (first == 100 && second >= 64 && second <= 127) {
            return "a shared (CGNAT) address";
        }
        if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
            return "a reserved address";
        }
        if (first == 198 && (second == 18 || second == 19)) {
            return "a benchmarking address";
        }
        if (first >= 224) {
            return first < 240 ? "a multicast address" : "a reserved or broadcast address";
        }
        return null;
    }

    /**
     * The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) or
     * 6to4 (2002::/16) one.
     */
    private static byte[] embeddedV4(byte[] b) {
        boolean compatible = true;
        for (int i = 0; i < 10; i++) {
            compatible &= b[i] == 0;
        }
        compatible &= (b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff);
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        if (compatible || nat64) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return Arrays.copyOfRange(b, 2, 6);
        }
        return null;
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String hostKey(String host) {
        String h = bare(host.strip().toLowerCase(Locale.ROOT));
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
