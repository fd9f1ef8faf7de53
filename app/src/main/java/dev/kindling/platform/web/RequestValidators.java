package dev.kindling.platform.web;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A bean (usually the controller) that names, per request record type, the rules its service checks with the
 * application's state (custom fields, existing teams, the condition codec). {@link RequestRecords} runs them on what
 * did bind when a body has binding errors, so one 400 lists every problem; on a body that binds, the service checks
 * them itself as usual. Each rule only adds to the list: it never writes.
 */
public interface RequestValidators {

    Map<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> validators();

    /** One entry of {@link #validators()}, typed. */
    @SuppressWarnings("unchecked")
    static <T extends ApiRequest> Map.Entry<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> rule(
            Class<T> type, BiConsumer<T, List<FieldError>> rule) {
        return Map.entry(type, (request, errors) -> rule.accept((T) request, errors));
    }
}
