package dev.kindling.campaigns;

import dev.kindling.platform.web.ApiRequest;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InputDates;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.RequestValidators;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/campaigns", produces = "application/json")
class CampaignController implements RequestValidators {

    private static final Set<String> FIELDS = Set.of("name", "channel", "cost", "startDate", "endDate", "parentId");

    private final Campaigns campaigns;

    CampaignController(Campaigns campaigns) {
        this.campaigns = campaigns;
    }

    @GetMapping
    List<Campaign> list() {
        return campaigns.list();
    }

    @GetMapping("/{id}")
    Campaign get(@PathVariable long id) {
        return campaigns.get(id);
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<Campaign> create(@RequestBody CampaignRequest body) {
        Campaign created = campaigns.create(validated(body.given()));
        return ResponseEntity.created(URI.create("/api/v1/campaigns/" + created.id()))
                .body(created);
    }

    /** Changes the given fields; the result is validated as a whole (e.g. end date after start date). */
    @PatchMapping(
            path = "/{id}",
            consumes = {"application/json", "application/merge-patch+json"})
    Campaign patch(@PathVariable long id, @RequestBody CampaignRequest body) {
        Campaign current = campaigns.get(id);
        Map<String, Object> merged = new LinkedHashMap<>();
        merged.put("name", current.name());
        merged.put("channel", current.channel().name());
        merged.put("cost", current.cost());
        merged.put(
                "startDate",
                current.startDate() == null ? null : current.startDate().toString());
        merged.put(
                "endDate", current.endDate() == null ? null : current.endDate().toString());
        merged.put("parentId", current.parentId());
        merged.putAll(body.given());
        return campaigns.update(id, validated(merged));
    }

    /** A campaign's fields; a patch changes those given ({@code null} clears cost and dates). */
    record CampaignRequest(
            String name,
            Campaign.Channel channel,
            Optional<BigDecimal> cost,
            @Schema(format = "date") Optional<String> startDate,
            @Schema(format = "date") Optional<String> endDate,

            @Schema(description = "the parent campaign's id")
            Optional<Long> parentId)
            implements ApiRequest {}

    static Campaigns.Values validated(Map<String, Object> raw) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : raw.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new FieldError(key, "is not a known field"));
            }
        }
        String name = null;
        if (!(raw.get("name") instanceof String s) || s.isBlank()) {
            errors.add(new FieldError("name", "is required"));
        } else if (s.strip().length() > 200) {
            errors.add(new FieldError("name", "must be at most 200 characters"));
        } else {
            name = s.strip();
        }
        Campaign.Channel channel = null;
        Object rawChannel = raw.get("channel");
        if (rawChannel == null) {
            errors.add(new FieldError("channel", "is required"));
        } else {
            channel = Arrays.stream(Campaign.Channel.values())
                    .filter(c -> c.name().equals(rawChannel))
                    .findFirst()
                    .orElse(null);
            if (channel == null) {
                errors.add(new FieldError("channel", "must be one of " + Arrays.toString(Campaign.Channel.values())));
            }
        }
        BigDecimal cost = BigDecimal.ZERO;
        Object rawCost = raw.get("cost");
        if (rawCost != null) {
            cost = rawCost instanceof BigDecimal d ? d : rawCost instanceof Long l ? BigDecimal.valueOf(l) : null;
            if (cost == null) {
                errors.add(new FieldError("cost", "must be a number"));
            } else if (cost.signum() < 0
                    || cost.compareTo(new BigDecimal("999999999999")) > 0
                    || cost.stripTrailingZeros().scale() > 2) {
                errors.add(new FieldError("cost", "must be between 0 and 999999999999 with at most 2 decimals"));
                cost = null;
            }
        }
        LocalDate start = date(raw, "startDate", errors);
        LocalDate end = date(raw, "endDate", errors);
        if (start != null && end != null && end.isBefore(start)) {
            errors.add(new FieldError("endDate", "must not be before startDate"));
        }
        Object rawParent = raw.get("parentId");
        Long parentId = rawParent instanceof Long l ? l : rawParent instanceof Integer i ? Long.valueOf(i) : null;
        if (rawParent != null && parentId == null) {
            errors.add(new FieldError("parentId", "must be a campaign id"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Campaigns.Values(name, channel, cost, start, end, parentId);
    }

    private static LocalDate date(Map<String, Object> raw, String field, List<FieldError> errors) {
        Object value = raw.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            try {
                return InputDates.date(s);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        errors.add(new FieldError(field, "must be a date (YYYY-MM-DD)"));
        return null;
    }

    @Override
    public Map<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> validators() {
        return Map.ofEntries(RequestValidators.onGiven(CampaignRequest.class, CampaignController::validated));
    }
}
