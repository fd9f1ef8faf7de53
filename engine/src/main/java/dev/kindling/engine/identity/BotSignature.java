package dev.kindling.engine.identity;

import java.util.List;
import java.util.Locale;

/**
 * Recognises crawlers, link scanners and headless tools by their user agent. Their activities
 * are stored and flagged but never score or trigger anything. An empty user agent counts as a
 * bot: every real browser sends one.
 */
public final class BotSignature {

    private static final List<String> MARKERS = List.of(
            "bot",
            "crawler",
            "spider",
            "slurp",
            "scanner",
            "preview",
            "headlesschrome",
            "phantomjs",
            "python-requests",
            "python-urllib",
            "curl/",
            "wget/",
            "go-http-client",
            "java/",
            "okhttp",
            "libwww-perl",
            "httpclient",
            "facebookexternalhit",
            "proofpoint",
            "mimecast",
            "barracuda",
            "symantec",
            "safelinks",
            "urldefense",
            "lighthouse",
            "pingdom",
            "uptimerobot",
            "monitor");

    private BotSignature() {}

    public static boolean isBot(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return true;
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        for (String marker : MARKERS) {
            if (ua.contains(marker)) {
                return true;
            }
        }
        return false;
    }
}
