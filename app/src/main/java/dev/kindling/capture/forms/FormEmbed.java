package dev.kindling.capture.forms;

import dev.kindling.capture.VisitorId;
import dev.kindling.intake.Visitors;
import dev.kindling.platform.web.NotFoundException;
import dev.kindling.prospects.ProspectField;
import dev.kindling.prospects.Prospects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Kindling-hosted form on any site: {@code <script async src="…/f/embed.js" data-form="key">} renders the form in
 * place (with the site's own styles), from the form's public definition {@code GET /f/{key}/definition}. Both are
 * public and cross-origin; the definition holds only what the rendered form shows. With progressive profiling on, the
 * script passes the visitor id of the site's tracking cookie and a visitor already identified gets only the fields not
 * yet known (and always the email field).
 */
@RestController
class FormEmbed {

    private final FormDesigns designs;
    private final Visitors visitors;
    private final Prospects prospects;
    private final byte[] script;

    FormEmbed(FormDesigns designs, Visitors visitors, Prospects prospects) {
        this.designs = designs;
        this.visitors = visitors;
        this.prospects = prospects;
        try (InputStream in = new ClassPathResource("static/f/embed.js").getInputStream()) {
            this.script = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the form embed script is missing from the build", e);
        }
    }

    /** One field as the embed script renders it. */
    record FieldView(String name, String label, String type, boolean required, String message) {}

    /** What the embed script needs to render a form. */
    record Definition(String key, String name, boolean honeypot, List<FieldView> fields) {}

    @GetMapping("/f/embed.js")
    ResponseEntity<byte[]> script() {
        return ResponseEntity.ok()
                .contentType(new MediaType("application", "javascript", StandardCharsets.UTF_8))
                .cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePublic())
                .header("Cross-Origin-Resource-Policy", "cross-origin")
                .body(script);
    }

    @CrossOrigin(
            origins = "*",
            methods = {RequestMethod.GET},
            allowCredentials = "false",
            maxAge = 86400)
    @GetMapping(path = "/f/{key}/definition", produces = "application/json")
    ResponseEntity<Definition> definition(
            @PathVariable String key, @RequestParam(name = "visitor", required = false) String visitor) {
        FormDesigns.Design design = designs.findByKey(key).orElseThrow(() -> new NotFoundException("No form " + key));
        Set<String> known = design.settings().progressive() ? known(visitor) : Set.of();
        return ResponseEntity.ok()
                // a definition for one visitor is theirs alone
                .cacheControl(
                        visitor == null
                                ? CacheControl.maxAge(Duration.ofMinutes(1)).cachePublic()
                                : CacheControl.noStore())
                .header("Cross-Origin-Resource-Policy", "cross-origin")
                .body(new Definition(
                        design.form().key(),
                        design.form().name(),
                        design.honeypot(),
                        design.fields().stream()
                                .filter(f ->
                                        f.target().equals(ProspectField.EMAIL.json()) || !known.contains(f.target()))
                                .map(f -> new FieldView(f.name(), f.label(), f.type(), f.required(), f.message()))
                                .toList()));
    }

    /**
     * Progressive profiling: the fields already known of the prospect this browser was identified as (never their
     * values); none for an anonymous or unknown visitor.
     */
    private Set<String> known(String visitor) {
        VisitorId id = VisitorId.parse(visitor);
        return id == null
                ? Set.of()
                : visitors.prospectOf(id.value()).map(prospects::filledFields).orElse(Set.of());
    }
}
