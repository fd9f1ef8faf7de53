package dev.kindling.capture.links;

import dev.kindling.platform.outbound.PublicUrl;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Files uploaded to be tracked: stored in the database with their tracked link (kind FILE), served at
 * {@code /l/files/{slug}/{filename}} — the link's target — always as a download ({@code attachment}, {@code nosniff}),
 * so an uploaded HTML file never runs on Kindling's origin.
 */
@Component
@RestController
class LinkFiles {

    static final int MAX_BYTES = 20 * 1024 * 1024;
    private static final Pattern SAFE_NAME = Pattern.compile("[^A-Za-z0-9._-]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final TrackedLinks links;
    private final PublicUrl publicUrl;
    private final Clock clock;

    LinkFiles(JdbcClient jdbc, TrackedLinks links, PublicUrl publicUrl, Clock clock) {
        this.jdbc = jdbc;
        this.links = links;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    /** A stored file's description. */
    record StoredFile(String filename, String contentType, long size) {}

    /** Stores the file and creates its tracked link in one transaction. */
    @Transactional
    TrackedLink upload(
            String name,
            Long campaignId,
            String filename,
            String contentType,
            byte[] content,
            java.util.List<Object> completionActions) {
        if (content.length == 0) {
            throw InvalidInputException.of("file", "is empty");
        }
        if (content.length > MAX_BYTES) {
            throw InvalidInputException.of("file", "must be at most 20 MB");
        }
        if (publicUrl.base().isEmpty()) {
            throw InvalidInputException.of("file", "needs Kindling's public URL (Settings → Public URL) to be served");
        }
        String safe = SAFE_NAME
                .matcher(filename == null || filename.isBlank() ? "file" : filename.strip())
                .replaceAll("-");
        safe = safe.length() > 100 ? safe.substring(safe.length() - 100) : safe;
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String slug = HexFormat.of().formatHex(bytes);
        String target = publicUrl.of("/l/files/" + slug + "/" + safe);
        TrackedLink link = links.create(new TrackedLinks.Values(
                TrackedLink.Kind.FILE,
                name == null || name.isBlank() ? safe : name.strip(),
                target,
                campaignId,
                completionActions));
        jdbc.sql("""
                        INSERT INTO tracked_file (link_id, slug, filename, content_type, size, content, uploaded_at)
                        VALUES (:link, :slug, :filename, :type, :size, :content, :now)""")
                .params(Map.of(
                        "link",
                        link.id(),
                        "slug",
                        slug,
                        "filename",
                        safe,
                        "type",
                        contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType,
                        "size",
                        (long) content.length,
                        "content",
                        content,
                        "now",
                        Timestamp.from(clock.instant())))
                .update();
        return link;
    }

    Optional<StoredFile> of(long linkId) {
        return jdbc.sql("SELECT filename, content_type, size FROM tracked_file WHERE link_id = :id")
                .param("id", linkId)
                .query((rs, n) -> new StoredFile(rs.getString(1), rs.getString(2), rs.getLong(3)))
                .optional();
    }

    @GetMapping("/l/files/{slug}/{filename}")
    ResponseEntity<byte[]> download(@PathVariable String slug, @PathVariable String filename) {
        record Found(String filename, String type, byte[] content) {}
        Found file = jdbc.sql("SELECT filename, content_type, content FROM tracked_file WHERE slug = :slug")
                .param("slug", slug)
                .query((rs, n) -> new Found(rs.getString(1), rs.getString(2), rs.getBytes(3)))
                .optional()
                .filter(f -> f.filename().equals(filename))
                .orElseThrow(() -> new NotFoundException("No such file"));
        MediaType type;
        try {
            type = MediaType.parseMediaType(file.type());
        } catch (IllegalArgumentException e) {
            type = MediaType.APPLICATION_OCTET_STREAM;
        }
        return ResponseEntity.ok()
                .contentType(type)
                .header(
                        "Content-Disposition",
                        ContentDisposition.attachment()
                                .filename(file.filename())
                                .build()
                                .toString())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox; default-src 'none'")
                .cacheControl(CacheControl.noCache())
                .body(file.content());
    }
}
