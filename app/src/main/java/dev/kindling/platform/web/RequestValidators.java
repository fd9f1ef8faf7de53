package dev.kindling.platform.web;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

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

    /**
     * A rule that validates the fields a body gave ({@link ApiRequest#given()}) with a validator that throws
     * {@link InvalidInputException}, keeping only its findings on fields the body gave: the same record serves a
     * create and a patch, where an absent field is not an error.
     */
    static <T extends ApiRequest>
            Map.Entry<Class<? extends ApiRequest>, BiConsumer<ApiRequest, List<FieldError>>> onGiven(
                    Class<T> type, Consumer<Map<String, Object>> validator) {
        return rule(type, (request, errors) -> {
            Map<String, Object> given = request.given();
            List<FieldError> found = new java.util.ArrayList<>();
            ApiRequest.collect(found, () -> validator.accept(given));
            found.stream()
                    .filter(e -> given.containsKey(e.field().split("[.\\[]", 2)[0]))
                    .forEach(errors::add);
        });
    }
}
