package dev.kindling.capture.links;

import java.time.Instant;

/** A tracked link or file: clicks on its public URL are recorded, then redirected to {@code targetUrl}. */
public record TrackedLink(
        long id,
        Kind kind,
        String name,
        String targetUrl,
        Long campaignId,
        Instant createdAt,
        java.util.List<Object> completionActions) {

    /** A LINK click records TRACKED_LINK_CLICK, a FILE click FILE_DOWNLOAD. */
    public enum Kind {
        LINK,
        FILE
    }
}
