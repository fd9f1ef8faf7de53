package dev.kindling.capture;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks of web addresses: what browsers report (lenient) and what Kindling redirects to (strict). */
public final class WebAddress {

    private static final Pattern REPORTED = Pattern.compile("(?i)https?://[^\\s/?#@\\\\]+([/?#][^\\s]*)?");

    private WebAddress() {}

    /** An absolute http(s) address as a browser reports it (location.href may hold characters URI refuses). */
    public static boolean isReported(String s) {
        return s != null && REPORTED.matcher(s).matches();
    }

    /** An absolute http(s) URI with a host, fit to be a redirect target: parsed strictly, no user info. */
    public static boolean isRedirectTarget(String s) {
        if (s == null || s.length() > 2000) {
            return false;
        }
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https"))
                    && uri.getHost() != null
                    && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
