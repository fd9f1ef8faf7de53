package dev.kindling.capture.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the tracking script. The page views it sends are taken by {@link CollectEndpoint}, outside Spring MVC.
 */
@RestController
class TrackingController {

    private final byte[] script;

    TrackingController() {
        try (InputStream in = new ClassPathResource("static/t/kindling.js").getInputStream()) {
            this.script = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the tracking script is missing from the build", e);
        }
    }

    @GetMapping("/t/kindling.js")
    ResponseEntity<byte[]> script() {
        return ResponseEntity.ok()
                .contentType(new MediaType("application", "javascript", StandardCharsets.UTF_8))
                .cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePublic())
                .header("Cross-Origin-Resource-Policy", "cross-origin")
                .body(script);
    }
}
