package dev.kindling.platform.web;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.Version;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.Deserializers;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.module.SimpleModule;

/**
 * Binds {@link ApiRequest} records from JSON, the one way API bodies are read: field by field, collecting every
 * problem (unknown field, wrong type, invalid value, Bean Validation constraint, the record's own {@code check}) with
 * its path ({@code actions[0].field}), then one {@link InvalidInputException} listing them all. Fields are typed as
 * usual: {@code Optional<T>} tells an explicit {@code null} ({@code Optional.empty()}) from an absent field
 * ({@code null}), as a merge patch needs, and any other field refuses an explicit {@code null}; a {@code JsonNode}
 * field is handed over as it is, for a codec to read (conditions, actions, program definitions); nested {@code ApiRequest} records and lists of them are bound the same
 * way with their paths. When a body does not bind, the rules a service checks with the application's state
 * ({@link RequestValidators}) are run on what did bind as well, so one 400 lists every problem.
 */
@Component
class RequestRecords extends SimpleModule {

    private final transient Validator validator;
    private final transient ObjectProvider<RequestValidators> services;
    private transient volatile Map<Class<?>, BiConsumer<ApiRequest, List<FieldError>>> serviceRules;

    RequestRecords(Validator validator, ObjectProvider<RequestValidators> services) {
        super("kindling-request-records", Version.unknownVersion());
        this.validator = validator;
        this.services = services;
    }

    /** The services' rules by request type, gathered on first use (the beans need the mapper this module is in). */
    private Map<Class<?>, BiConsumer<ApiRequest, List<FieldError>>> serviceRules() {
        if (serviceRules == null) {
            Map<Class<?>, BiConsumer<ApiRequest, List<FieldError>>> rules = new HashMap<>();
            services.orderedStream().forEach(s -> rules.putAll(s.validators()));
            serviceRules = rules;
        }
        return serviceRules;
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addDeserializers(new Deserializers.Base() {
            @Override
            public ValueDeserializer<?> findBeanDeserializer(
                    JavaType type, DeserializationConfig config, BeanDescription.Supplier description) {
                return ApiRequest.class.isAssignableFrom(type.getRawClass()) && type.isRecordType()
                        ? new RecordDeserializer(type.getRawClass())
                        : null;
            }

            @Override
            public boolean hasDeserializerFor(DeserializationConfig config, Class<?> valueType) {
                return ApiRequest.class.isAssignableFrom(valueType) && valueType.isRecord();
            }
        });
    }

    private final class RecordDeserializer extends ValueDeserializer<Object> {

        private final Class<?> type;

        RecordDeserializer(Class<?> type) {
            this.type = type;
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonNode tree = ctxt.readTree(p);
            List<FieldError> errors = new ArrayList<>();
            Object value = bindRecord(tree, type, "", errors, ctxt);
            if (value != null) {
                Set<String> failed = new HashSet<>();
                errors.forEach(e -> failed.add(e.field()));
                for (ConstraintViolation<Object> v : validator.validate(value)) {
                    String field = v.getPropertyPath().toString();
                    if (failed.add(field.isEmpty() ? "body" : field)) {
                        errors.add(new FieldError(field.isEmpty() ? "body" : field, v.getMessage()));
                    }
                }
                List<FieldError> own = new ArrayList<>();
                ((ApiRequest) value).check(own);
                BiConsumer<ApiRequest, List<FieldError>> service =
                        serviceRules().get(type);
                if (!errors.isEmpty() && service != null) {
                    // the body did not bind: the service's rules would not run, so list their findings too
                    service.accept((ApiRequest) value, own);
                }
                for (FieldError e : own) {
                    if (failed.add(e.field())) {
                        errors.add(e);
                    }
                }
            }
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
            return value;
        }
    }

    private Object bindRecord(
            JsonNode node, Class<?> type, String path, List<FieldError> errors, DeserializationContext ctxt) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError(path.isEmpty() ? "body" : path, "must be a JSON object"));
            return null;
        }
        RecordComponent[] components = type.getRecordComponents();
        Set<String> names = new HashSet<>();
        for (RecordComponent c : components) {
            names.add(name(c));
        }
        JsonIgnoreProperties ignored = type.getAnnotation(JsonIgnoreProperties.class);
        if (ignored != null) {
            names.addAll(List.of(ignored.value()));
        }
        for (String name : node.propertyNames()) {
            if (!names.contains(name)) {
                errors.add(new FieldError(join(path, name), "is not a known field"));
            }
        }
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            JsonNode value = node.get(name(c));
            if (value == null) {
                continue;
            }
            String where = join(path, name(c));
            if (value.isNull() && c.getType() != Optional.class && !JsonNode.class.isAssignableFrom(c.getType())) {
                errors.add(new FieldError(where, "must not be null"));
            } else if (c.getType() == Optional.class) {
                args[i] = value.isNull()
                        ? Optional.empty()
                        : Optional.ofNullable(bindValue(value, argument(c.getGenericType()), where, errors, ctxt));
            } else {
                args[i] = bindValue(value, c.getGenericType(), where, errors, ctxt);
            }
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot build " + type.getName(), e);
        }
    }

    private Object bindValue(
            JsonNode value, Type type, String where, List<FieldError> errors, DeserializationContext ctxt) {
        if (value.isNull()) {
            return null;
        }
        Class<?> raw = raw(type);
        if (JsonNode.class.isAssignableFrom(raw)) {
            return value;
        }
        if (ApiRequest.class.isAssignableFrom(raw) && raw.isRecord()) {
            return bindRecord(value, raw, where, errors, ctxt);
        }
        if (List.class.isAssignableFrom(raw)
                && type instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == JsonNode.class
                && value.isArray()) {
            // the array's items as they are, not copied through a tree parser by readTreeAsValue below: the activity
            // API's batches of up to 1,000 items, where the copy was about 5 % of the HTTP threads' CPU (issue 16)
            List<Object> items = new ArrayList<>(value.size());
            value.forEach(items::add);
            return items;
        }
        if (List.class.isAssignableFrom(raw)
                && type instanceof ParameterizedType p
                && raw(p.getActualTypeArguments()[0]) instanceof Class<?> item
                && ApiRequest.class.isAssignableFrom(item)
                && item.isRecord()) {
            if (!value.isArray()) {
                errors.add(new FieldError(where, "has the wrong type"));
                return null;
            }
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                items.add(bindValue(value.get(i), item, where + "[" + i + "]", errors, ctxt));
            }
            return items;
        }
        if (!sameKind(raw, value)) {
            errors.add(new FieldError(where, "has the wrong type"));
            return null;
        }
        try {
            return ctxt.readTreeAsValue(value, ctxt.getTypeFactory().constructType(type));
        } catch (JacksonException e) {
            String inner = ProblemHandler.path(e);
            String field = "body".equals(inner) ? where : inner.startsWith("[") ? where + inner : join(where, inner);
            String message = e instanceof UnrecognizedPropertyException
                    ? "is not a known field"
                    : e instanceof InvalidFormatException ? "has an invalid value" : "has the wrong type";
            errors.add(new FieldError(field, message));
            return null;
        }
    }

    /**
     * Whether a JSON scalar is of the kind a field of this type takes: no coercion of {@code 7} to {@code "7"}, of
     * {@code "5"} to 5, of {@code "true"} to true, or of a number to an enum constant by its position.
     */
    private static boolean sameKind(Class<?> raw, JsonNode value) {
        if (raw == String.class || raw.isEnum()) {
            return value.isString();
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return value.isBoolean();
        }
        if (Number.class.isAssignableFrom(raw) || (raw.isPrimitive() && raw != char.class)) {
            return value.isNumber();
        }
        return true;
    }

    /** A component's name in JSON: its own, or the one {@code @JsonProperty} gives (for Java keywords). */
    static String name(RecordComponent c) {
        JsonProperty renamed = c.getAccessor().getAnnotation(JsonProperty.class);
        return renamed == null || renamed.value().isEmpty() ? c.getName() : renamed.value();
    }

    private static Type argument(Type type) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
