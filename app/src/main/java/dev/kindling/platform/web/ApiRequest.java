package dev.kindling.platform.web;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A typed API request body (a record). {@link RequestRecords} binds it field by field, so every unknown field, wrong
 * type and constraint violation of one body is listed together, each with its path, before the handler runs.
 */
public interface ApiRequest {

    /**
     * Rules across fields that the record's Bean Validation annotations do not say; adds its findings to {@code errors}.
     * Called also when some fields failed to bind (they are then {@code null}).
     */
    default void check(List<FieldError> errors) {}

    /**
     * Runs a validator that throws {@link InvalidInputException} (one shared with a page, say) and adds what it found to
     * {@code errors}, so its findings are listed with the body's binding errors.
     */
    static void collect(List<FieldError> errors, Runnable validation) {
        try {
            validation.run();
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
    }

    /**
     * The fields the body gave, by name, as plain values for the rules a service shares with its pages: an absent field
     * is left out, an explicit {@code null} ({@code Optional.empty()}) kept as {@code null}, JSON trees as maps, lists
     * and scalars ({@link JsonValues}).
     */
    default Map<String, Object> given() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : getClass().getRecordComponents()) {
            Object value;
            try {
                c.getAccessor().setAccessible(true);
                value = c.getAccessor().invoke(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (value instanceof Optional<?> o) {
                out.put(RequestRecords.name(c), plain(o.orElse(null)));
            } else if (value != null) {
                out.put(RequestRecords.name(c), plain(value));
            }
        }
        return out;
    }

    /** The fields the body gave as a JSON object, for the rules that read JSON trees (absent fields left out). */
    default ObjectNode givenTree() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (RecordComponent c : getClass().getRecordComponents()) {
            Object value;
            try {
                c.getAccessor().setAccessible(true);
                value = c.getAccessor().invoke(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (value instanceof Optional<?> o) {
                out.set(RequestRecords.name(c), tree(o.orElse(null)));
            } else if (value != null) {
                out.set(RequestRecords.name(c), tree(value));
            }
        }
        return out;
    }

    private static JsonNode tree(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (value) {
            case null -> f.nullNode();
            case JsonNode node -> node;
            case ApiRequest nested -> nested.givenTree();
            case String s -> f.stringNode(s);
            case Boolean b -> f.booleanNode(b);
            case Long l -> f.numberNode(l);
            case Integer i -> f.numberNode(i);
            case java.math.BigDecimal d -> f.numberNode(d);
            case Enum<?> e -> f.stringNode(e.name());
            case List<?> list -> {
                var array = f.arrayNode();
                list.forEach(item -> array.add(tree(item)));
                yield array;
            }
            case Map<?, ?> map -> {
                ObjectNode object = f.objectNode();
                map.forEach((k, v) -> object.set(String.valueOf(k), tree(v)));
                yield object;
            }
            default -> f.stringNode(value.toString());
        };
    }

    private static Object plain(Object value) {
        if (value instanceof JsonNode node) {
            return JsonValues.value(node);
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof ApiRequest nested) {
            return nested.given();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ApiRequest::plain).toList();
        }
        return value;
    }
}
