package dev.kindling.capture.links;

import dev.kindling.automation.ActionEditor;
import dev.kindling.campaigns.Campaigns;
import dev.kindling.platform.outbound.PublicUrl;
import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.FieldMessages;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.JsonValues;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tracked links and files pages: {@code /links} (every link and file with its clicks; a tracked URL or an
 * uploaded file to add) and {@code /links/{id}} (the copyable tracked URL and its QR code, clicks by week and who
 * clicked; edit with the rules' action editor for completion actions; delete). Writes for ADMIN and MARKETING.
 */
@Controller
class LinkPages {

    private final TrackedLinks links;
    private final LinkController api;
    private final LinkFiles files;
    private final LinkFigures figures;
    private final Campaigns campaigns;
    private final PublicUrl publicUrl;
    private final JsonMapper json;

    LinkPages(
            TrackedLinks links,
            LinkController api,
            LinkFiles files,
            LinkFigures figures,
            Campaigns campaigns,
            PublicUrl publicUrl,
            JsonMapper json) {
        this.links = links;
        this.api = api;
        this.files = files;
        this.figures = figures;
        this.campaigns = campaigns;
        this.publicUrl = publicUrl;
        this.json = json;
    }

    /** The link form as typed. */
    record Input(String name, String targetUrl, String campaignId, List<ActionEditor.Row> actions) {}

    @GetMapping("/links")
    String index(Model model, Authentication user) {
        return index(model, user, new Input("", "", "", List.of()), List.of());
    }

    @PostMapping("/links")
    String create(
            @RequestParam MultiValueMap<String, String> params,
            Model model,
            Authentication user,
            HttpServletResponse response) {
        Input input = input(params);
        try {
            TrackedLink link = links.create(api.validated(raw(input, TrackedLink.Kind.LINK, input.targetUrl())));
            return "redirect:/links/" + link.id();
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return index(model, user, input, e.errors());
        }
    }

    @PostMapping("/links/upload")
    String upload(
            @RequestParam(required = false) MultipartFile file,
            @RequestParam MultiValueMap<String, String> params,
            Model model,
            Authentication user,
            HttpServletResponse response) {
        Input typed = input(params);
        Input input = typed.name().isBlank() && file != null && file.getOriginalFilename() != null
                ? new Input(file.getOriginalFilename(), typed.targetUrl(), typed.campaignId(), typed.actions())
                : typed;
        try {
            if (file == null || file.isEmpty()) {
                throw InvalidInputException.of("file", "choose a file to upload");
            }
            // the name, campaign and actions are validated as for any link; the target is the file's own address
            TrackedLinks.Values checked = api.validated(raw(input, TrackedLink.Kind.FILE, "https://file.invalid/"));
            TrackedLink link = files.upload(
                    input.name(),
                    checked.campaignId(),
                    file.getOriginalFilename(),
                    file.getContentType(),
                    file.getBytes(),
                    checked.completionActions());
            return "redirect:/links/" + link.id();
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return index(model, user, input, e.errors());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String index(Model model, Authentication user, Input input, List<FieldError> errors) {
        model.addAttribute("links", figures.list());
        model.addAttribute("input", input);
        model.addAttribute("errors", FieldMessages.of(errors));
        model.addAttribute("campaigns", campaigns.list());
        model.addAttribute("mayWrite", Role.any(user, Role.ADMIN, Role.MARKETING));
        return "links/index";
    }

    @GetMapping("/links/{id}")
    String page(@PathVariable long id, Model model, Authentication user, HttpServletResponse response) {
        TrackedLink link = links.find(id).orElse(null);
        if (link == null) {
            response.setStatus(404);
            return "not-found";
        }
        return page(
                model,
                user,
                link,
                new Input(
                        link.name(),
                        link.targetUrl(),
                        link.campaignId() == null ? "" : link.campaignId().toString(),
                        ActionEditor.rows(link.completionActions())),
                List.of());
    }

    @PostMapping("/links/{id}")
    String update(
            @PathVariable long id,
            @RequestParam MultiValueMap<String, String> params,
            Model model,
            Authentication user,
            HttpServletResponse response) {
        TrackedLink link = links.get(id);
        Input input = input(params);
        // a file's target is its own address: only a link's may be changed here
        String target =
                link.kind() == TrackedLink.Kind.FILE && files.of(id).isPresent() ? link.targetUrl() : input.targetUrl();
        try {
            links.update(id, api.validated(raw(input, link.kind(), target)));
            return "redirect:/links/" + id;
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return page(model, user, link, input, e.errors());
        }
    }

    @PostMapping("/links/{id}/delete")
    String delete(@PathVariable long id) {
        links.delete(id);
        return "redirect:/links";
    }

    @GetMapping("/links/{id}/qr.svg")
    ResponseEntity<String> qr(@PathVariable long id) {
        links.get(id);
        return ResponseEntity.ok()
                .contentType(MediaType.valueOf("image/svg+xml"))
                .cacheControl(CacheControl.noCache())
                .body(QrCodes.svg(trackedUrl(id)));
    }

    private String page(Model model, Authentication user, TrackedLink link, Input input, List<FieldError> errors) {
        model.addAttribute("link", link);
        model.addAttribute("file", files.of(link.id()).orElse(null));
        model.addAttribute("trackedUrl", trackedUrl(link.id()));
        model.addAttribute("totals", figures.totals(link.id()));
        model.addAttribute("weeks", figures.weeks(link.id()));
        model.addAttribute("clickers", figures.clickers(link.id()));
        model.addAttribute("input", input);
        model.addAttribute("actionRows", ActionEditor.withBlanks(input.actions()));
        model.addAttribute("kinds", ActionEditor.KINDS);
        model.addAttribute("errors", FieldMessages.of(errors));
        model.addAttribute("campaigns", campaigns.list());
        model.addAttribute("mayWrite", Role.any(user, Role.ADMIN, Role.MARKETING));
        return "links/page";
    }

    private String trackedUrl(long id) {
        return publicUrl.of("/l/" + links.tokens().sign(id, null));
    }

    private Map<String, Object> raw(Input input, TrackedLink.Kind kind, String target) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("kind", kind.name());
        raw.put("name", input.name());
        raw.put("targetUrl", target);
        if (!input.campaignId().isBlank()) {
            try {
                raw.put("campaignId", Long.parseLong(input.campaignId().strip()));
            } catch (NumberFormatException e) {
                raw.put("campaignId", input.campaignId());
            }
        }
        raw.put("completionActions", JsonValues.value(ActionEditor.json(json, input.actions())));
        return raw;
    }

    private static Input input(MultiValueMap<String, String> params) {
        return new Input(
                first(params, "name"),
                first(params, "targetUrl"),
                first(params, "campaignId"),
                ActionEditor.posted(params));
    }

    private static String first(MultiValueMap<String, String> params, String name) {
        String value = params.getFirst(name);
        return value == null ? "" : value;
    }
}
