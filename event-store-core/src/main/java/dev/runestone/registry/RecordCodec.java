package dev.runestone.registry;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.runestone.EventDecodingException;
import dev.runestone.EventValidationException;
import dev.runestone.EventValidationException.Violation;
import dev.runestone.registry.EventRegistry.EncodedEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A record whose components are {@code data} and/or {@code meta}, each written as its own JSON document and read
 * back strictly: the codec of one event record, current or of an older version. Immutable and thread-safe.
 *
 * @param <T> the record
 */
final class RecordCodec<T> {

    /** One component, {@code data} or {@code meta}, with its precomputed Jackson reader and writer. */
    private record Part(Method accessor, ObjectMapper mapper, ObjectReader reader, ObjectWriter writer) {

        static @Nullable Part of(@Nullable RecordComponent component, ObjectMapper mapper) {
            if (component == null) {
                return null;
            }
            var javaType = mapper.getTypeFactory().constructType(component.getGenericType());
            return new Part(component.getAccessor(), mapper, mapper.readerFor(javaType), mapper.writerFor(javaType));
        }
    }

    private final String label;
    private final Class<T> recordClass;
    private final Constructor<T> constructor;
    private final List<String> order;
    private final @Nullable Part data;
    private final @Nullable Part meta;

    private RecordCodec(String label, Class<T> recordClass, Constructor<T> constructor, List<String> order,
            @Nullable Part data, @Nullable Part meta) {
        this.label = label;
        this.recordClass = recordClass;
        this.constructor = constructor;
        this.order = order;
        this.data = data;
        this.meta = meta;
    }

    /**
     * Checks that {@code recordClass} is a record whose components are named {@code data} and/or {@code meta}.
     *
     * @param label names the record in messages, e.g. {@code type 'user:created'} or {@code 'user:created' version 1}
     * @throws IllegalArgumentException if it is not
     */
    static void requireShape(String label, Class<?> recordClass) {
        if (!recordClass.isRecord()) {
            throw new IllegalArgumentException(recordClass.getName() + " (" + label
                    + ") must be a record with components named data and/or meta");
        }
        for (RecordComponent component : recordClass.getRecordComponents()) {
            if (!component.getName().equals("data") && !component.getName().equals("meta")) {
                throw new IllegalArgumentException(recordClass.getName() + " (" + label + ") has a component '"
                        + component.getName() + "'; an event record may only have components named data and meta");
            }
        }
    }

    /** The codec of {@code recordClass}, a record shaped as {@link #requireShape} checks, read with {@code mapper}. */
    static <T> RecordCodec<T> of(String label, Class<T> recordClass, ObjectMapper mapper) {
        RecordComponent[] components = recordClass.getRecordComponents();
        RecordComponent data = null;
        RecordComponent meta = null;
        List<String> order = new ArrayList<>();
        for (RecordComponent component : components) {
            if (component.getName().equals("data")) {
                data = component;
            } else {
                meta = component;
            }
            order.add(component.getName());
        }
        Class<?>[] parameterTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<T> constructor;
        try {
            constructor = recordClass.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
            for (RecordComponent component : components) {
                component.getAccessor().setAccessible(true);
            }
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot use the canonical constructor of " + recordClass.getName()
                    + "; make the record and its constructor accessible", e);
        }
        return new RecordCodec<>(label, recordClass, constructor, List.copyOf(order), Part.of(data, mapper),
                Part.of(meta, mapper));
    }

    Class<T> recordClass() {
        return recordClass;
    }

    /** Writes the record's data, or {@code null} when it has none, adding what breaks the limits to violations. */
    @Nullable String writeData(Object record, EventLimits limits, List<Violation> violations) {
        return write(data, "data", record, limits, violations);
    }

    /** Writes the record's meta, or {@code null} when it has none, adding what breaks the limits to violations. */
    @Nullable String writeMeta(Object record, EventLimits limits, List<Violation> violations) {
        return write(meta, "meta", record, limits, violations);
    }

    private @Nullable String write(@Nullable Part part, String name, Object record, EventLimits limits,
            List<Violation> violations) {
        if (part == null) {
            return null;
        }
        Object value;
        try {
            value = part.accessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read " + part.accessor() + " of " + label, e);
        }
        StringWriter json = new StringWriter();
        try (JsonGenerator generator = part.mapper().getFactory().createGenerator(json)) {
            BoundaryGenerator boundary = new BoundaryGenerator(generator, name, limits);
            try {
                part.writer().writeValue(boundary, value);
            } catch (IOException e) {
                if (!causedBy(e, BoundaryGenerator.TooDeep.class)) {
                    throw e;
                }
            } finally {
                violations.addAll(boundary.violations());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the " + name + " of " + label + " as JSON: "
                    + e.getMessage(), e);
        }
        return json.toString();
    }

    /**
     * The record the stored JSON holds, built through its canonical constructor, so its own checks run.
     *
     * @throws EventDecodingException listing every rule the JSON breaks
     */
    T read(EncodedEvent encoded) {
        List<Violation> violations = new ArrayList<>();
        Object[] arguments = new Object[order.size()];
        for (int i = 0; i < arguments.length; i++) {
            boolean isData = order.get(i).equals("data");
            arguments[i] = readPart(isData ? data : meta, isData ? encoded.data() : encoded.meta(), order.get(i),
                    violations);
        }
        strayPart(data, encoded.data(), "data", violations);
        strayPart(meta, encoded.meta(), "meta", violations);
        if (!violations.isEmpty()) {
            throw unreadable(violations, null);
        }
        try {
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            Throwable refusal = e.getCause();
            if (refusal instanceof EventValidationException invalid) {
                throw unreadable(invalid.violations(), invalid);
            }
            throw unreadable(List.of(new Violation(String.join(" and ", order), "constructor",
                    "is refused by " + recordClass.getSimpleName() + ": " + refusal.getMessage())), refusal);
        } catch (IllegalArgumentException e) {
            // A part stored as nothing cannot fill a primitive component.
            throw unreadable(List.of(new Violation(String.join(" and ", order), "required", "is missing")), e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot construct " + recordClass.getName(), e);
        }
    }

    private @Nullable Object readPart(@Nullable Part part, @Nullable String json, String name,
            List<Violation> violations) {
        if (json == null || part == null) {
            return null;
        }
        // The parser stays open until the failure is described: it tells what was found where.
        try (JsonParser parser = part.reader().createParser(json)) {
            try {
                Object value = part.reader().readValue(parser);
                if (parser.nextToken() != null) {
                    violations.add(new Violation(name, "json", "holds more than one JSON value"));
                }
                return value;
            } catch (JsonProcessingException e) {
                Violation mismatch = DecodingErrors.violation(name, e);
                JsonParseException broken = brokenJsonBehind(parser, e);
                violations.add(broken == null ? mismatch : DecodingErrors.violation(name, broken));
                return null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the " + name + " of " + label + ": " + e.getMessage(), e);
        }
    }

    /**
     * A mismatch found before the end may hide JSON that is broken further on ({@code {"broken} read as a string):
     * that is the better reason, so read on to see.
     */
    private static @Nullable JsonParseException brokenJsonBehind(JsonParser parser, JsonProcessingException mismatch) {
        if (!(mismatch instanceof MismatchedInputException)) {
            return null; // Not about a value's type: the text itself was refused already.
        }
        try {
            while (parser.nextToken() != null) {
                parser.skipChildren();
            }
            return null;
        } catch (JsonParseException broken) {
            return broken;
        } catch (IOException e) {
            return null;
        }
    }

    /** JSON stored for a part the record does not have: it would be dropped without a word. */
    private void strayPart(@Nullable Part part, @Nullable String json, String name, List<Violation> violations) {
        if (part == null && json != null) {
            violations.add(new Violation(name, "additionalProperties", "is stored, but " + label + " has no " + name));
        }
    }

    private EventDecodingException unreadable(List<Violation> violations, @Nullable Throwable cause) {
        return new EventDecodingException("stored " + label + " cannot be read: " + violations.stream()
                .map(Violation::toString).collect(Collectors.joining("; ")), violations, cause);
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> kind) {
        for (Throwable at = error; at != null; at = at.getCause()) {
            if (kind.isInstance(at)) {
                return true;
            }
        }
        return false;
    }
}
