package dev.kindling.salesforce;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A campaign's link to Salesforce ({@link CampaignLinks}). API: {@code GET /api/v1/campaigns/{id}/salesforce}, and,
 * ADMIN only (the security configuration), {@code POST} with {@code {"salesforceId"}} or {@code {"create": true}} and
 * {@code DELETE}. Page: the campaign page's Salesforce panel posts {@code /campaigns/{id}/salesforce} and
 * {@code /campaigns/{id}/salesforce/unlink}.
 */
@Controller
class CampaignLinkController {

    private final CampaignLinks links;

    CampaignLinkController(CampaignLinks links) {
        this.links = links;
    }

    /** Either an existing Salesforce Campaign's id (15 or 18 characters), or {@code create: true}. */
    record LinkRequest(
            @Schema(description = "an existing Salesforce Campaign's id (15 or 18 characters, starting with 701)")
            String salesforceId,

            @Schema(
                    description =
                            "true: the connector's next cycle creates the Campaign with the campaign's name and cost")
            Boolean create)
            implements ApiRequest {}

    @GetMapping(path = "/api/v1/campaigns/{id}/salesforce", produces = "application/json")
    @ResponseBody
    CampaignLinks.Status status(@PathVariable long id) {
        return links.status(id);
    }

    @PostMapping(
            path = "/api/v1/campaigns/{id}/salesforce",
            consumes = "application/json",
            produces = "application/json")
    @ResponseBody
    CampaignLinks.Status link(@PathVariable long id, @RequestBody LinkRequest body) {
        return links.link(id, body.salesforceId(), body.create());
    }

    @DeleteMapping(path = "/api/v1/campaigns/{id}/salesforce", produces = "application/json")
    @ResponseBody
    CampaignLinks.Status unlink(@PathVariable long id) {
        return links.unlink(id);
    }

    @PostMapping("/campaigns/{id}/salesforce")
    String linkFromPage(
            @PathVariable long id,
            @RequestParam(required = false) String salesforceId,
            @RequestParam(required = false) Boolean create,
            RedirectAttributes flash) {
        try {
            CampaignLinks.Status s = links.link(id, salesforceId, create);
            flash.addFlashAttribute(
                    "salesforceNotice",
                    s.creating()
                            ? "Queued: the next sync cycle creates the Campaign in Salesforce and adds its members."
                            : "Linked: the next sync cycle adds the campaign's members to the Salesforce Campaign.");
        } catch (InvalidInputException e) {
            flash.addFlashAttribute("salesforceErrors", e.errors());
            flash.addFlashAttribute("salesforceInput", salesforceId);
        } catch (ConflictException e) {
            flash.addFlashAttribute("salesforceNotice", e.getMessage());
        }
        return "redirect:/campaigns/" + id;
    }

    @PostMapping("/campaigns/{id}/salesforce/unlink")
    String unlinkFromPage(@PathVariable long id, RedirectAttributes flash) {
        try {
            links.unlink(id);
            flash.addFlashAttribute("salesforceNotice", "Unlinked from Salesforce.");
        } catch (ConflictException | NotFoundException e) {
            flash.addFlashAttribute("salesforceNotice", e.getMessage());
        }
        return "redirect:/campaigns/" + id;
    }
}
