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
import dev.runestone.EventValidationException.Violation;
import dev.runestone.EventValidationException;
import dev.runestone.UnknownEventTypeException;
import dev.runestone.internal.WellFormedText;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EventRegistry} of Java records whose {@code data} and {@code meta} components are encoded with Jackson,
 * held to one {@link EventLimits} both ways: what {@link #encode} accepts, {@link #decode} reads back equal.
 * Immutable and thread-safe once built.
 *
 * @param <E> the common supertype of the events
 */
final class RecordEventRegistry<E> implements EventRegistry<E> {

    /** Type strings are stored with every event and indexed: the same bound as stream ids. */
    private static final int LONGEST_TYPE = 512;

    private final Class<E> eventType;
    private final EventLimits limits;
    private final Map<String, Entry<?>> byType;
    private final Map<Class<?>, Entry<?>> byClass;

    private RecordEventRegistry(Class<E> eventType, EventLimits limits, Map<String, Entry<?>> byType) {
        this.eventType = eventType;
        this.limits = limits;
        this.byType = Map.copyOf(byType);
        Map<Class<?>, Entry<?>> classes = new LinkedHashMap<>();
        byType.values().forEach(entry -> classes.put(entry.eventClass(), entry));
        this.byClass = Map.copyOf(classes);
    }

    /** Starts a registry of records implementing {@code eventType}. */
    static <E> EventRegistry.Builder<E> builder(Class<E> eventType) {
        return new RegistryBuilder<>(eventType);
    }

    @Override
    public Class<E> eventType() {
        return eventType;
    }

    @Override
    public Set<String> types() {
        return byType.keySet();
    }

    @Override
    public String typeOf(Class<?> eventClass) {
        return entryOf(eventClass).type();
    }

    @Override
    public Class<? extends E> classOf(String type) {
        return entryOf(type).eventClass().asSubclass(eventType);
    }

    @Override
    public EncodedEvent encode(E event) {
        Entry<?> entry = entryOf(event.getClass());
        List<Violation> violations = new ArrayList<>();
        String data = entry.write(entry.data(), "data", event, limits, violations);
        String meta = entry.write(entry.meta(), "meta", event, limits, violations);
        if (violations.isEmpty()) {
            long bytes = Utf8.length(data) + Utf8.length(meta);
            if (bytes > limits.maxEventBytes()) {
                violations.add(new Violation("data", "maxEventBytes", "data and meta take " + bytes + " bytes of "
                        + "JSON, more than the limit of " + limits.maxEventBytes() + " (raise it with EventLimits."
                        + "withMaxEventBytes on the registry's builder, or store large content elsewhere)"));
            }
        }
        if (!violations.isEmpty()) {
            throw new EventValidationException(entry.type(), violations);
        }
        return new EncodedEvent(entry.type(), data, meta);
    }

    @Override
    public E decode(String type, EncodedEvent encoded) {
        return eventType.cast(entryOf(type).read(encoded));
    }

    @Override
    public List<Violation> validate(E event) {
        return entryOf(event.getClass()).check(event);
    }

    private Entry<?> entryOf(Class<?> eventClass) {
        Entry<?> entry = byClass.get(eventClass);
        if (entry == null) {
            throw new UnknownEventTypeException(eventClass.getName() + " is not a registered event; register it with "
                    + "EventRegistry.builder(" + eventType.getSimpleName() + ".class).register(\"<type>\", "
                    + eventClass.getSimpleName() + ".class). Registered: " + new TreeSet<>(byType.keySet()));
        }
        return entry;
    }

    private Entry<?> entryOf(String type) {
        Entry<?> entry = byType.get(type);
        if (entry == null) {
            throw new UnknownEventTypeException("Event type '" + WellFormedText.printable(type)
                    + "' is not registered. Registered: " + new TreeSet<>(byType.keySet()));
        }
        return entry;
    }

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

    private record Entry<T>(String type, Class<T> eventClass, Constructor<T> constructor, List<String> order,
            @Nullable Part data, @Nullable Part meta, List<EventRegistry.Validator<Object>> validators) {

        @Nullable String write(@Nullable Part part, String name, Object event, EventLimits limits,
                List<Violation> violations) {
            if (part == null) {
                return null;
            }
            Object value;
            try {
                value = part.accessor().invoke(event);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot read " + part.accessor() + " of " + type, e);
            }
            StringWriter json = new StringWriter();
            try (JsonGenerator generator = part.mapper().getFactory().createGenerator(json)) {
                BoundaryGenerator boundary = new BoundaryGenerator(generator, name, limits);
                try {
                    part.writer().writeValue(boundary, value);
                } catch (IOException e) {
                    if (!deepest(e, BoundaryGenerator.TooDeep.class)) {
                        throw e;
                    }
                } finally {
                    violations.addAll(boundary.violations());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the " + name + " of " + type + " as JSON: "
                        + e.getMessage(), e);
            }
            return json.toString();
        }

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
                        "is refused by " + eventClass.getSimpleName() + ": " + refusal.getMessage())), refusal);
            } catch (IllegalArgumentException e) {
                // A part stored as nothing cannot fill a primitive component.
                throw unreadable(List.of(new Violation(String.join(" and ", order), "required", "is missing")), e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot construct " + eventClass.getName(), e);
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
                throw new UncheckedIOException("Cannot read the " + name + " of " + type + ": " + e.getMessage(), e);
            }
        }

        /**
         * A mismatch found before the end may hide JSON that is broken further on ({@code {"broken} read as a
         * string): that is the better reason, so read on to see.
         */
        private static @Nullable JsonParseException brokenJsonBehind(JsonParser parser,
                JsonProcessingException mismatch) {
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
                violations.add(new Violation(name, "additionalProperties", "is stored, but " + type + " has no "
                        + name));
            }
        }

        private EventDecodingException unreadable(List<Violation> violations, @Nullable Throwable cause) {
            return new EventDecodingException("stored " + type + " cannot be read: " + violations.stream()
                    .map(Violation::toString).collect(Collectors.joining("; ")), violations, cause);
        }

        List<Violation> check(Object event) {
            if (validators.isEmpty()) {
                return List.of();
            }
            List<Violation> violations = new ArrayList<>();
            for (EventRegistry.Validator<Object> validator : validators) {
                violations.addAll(validator.validate(event));
            }
            return List.copyOf(violations);
        }

        private static boolean deepest(Throwable error, Class<? extends Throwable> kind) {
            for (Throwable at = error; at != null; at = at.getCause()) {
                if (kind.isInstance(at)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** What {@link RegistryBuilder} knows of a record before the registry is built. */
    private record Registration(String type, Class<?> eventClass, List<EventRegistry.Validator<Object>> validators) {

        Registration with(EventRegistry.Validator<Object> validator) {
            List<EventRegistry.Validator<Object>> more = new ArrayList<>(validators);
            more.add(validator);
            return new Registration(type, eventClass, List.copyOf(more));
        }
    }

    /** A validator of one record class that takes any event; the registry hands it only that class's. */
    private static <T> EventRegistry.Validator<Object> widen(Class<T> eventClass,
            EventRegistry.Validator<? super T> validator) {
        return event -> validator.validate(eventClass.cast(event));
    }

    private static final class RegistryBuilder<E> implements EventRegistry.Builder<E> {

        private final Class<E> eventType;
        private final Map<String, Registration> registrations = new LinkedHashMap<>();
        private EventLimits limits = EventLimits.defaults();

        RegistryBuilder(Class<E> eventType) {
            this.eventType = Objects.requireNonNull(eventType, "eventType");
        }

        @Override
        public <T extends E> EventRegistry.Builder<E> register(String type, Class<T> eventClass) {
            return add(type, eventClass, List.of());
        }

        @Override
        public <T extends E> EventRegistry.Builder<E> register(String type, Class<T> eventClass,
                EventRegistry.Validator<? super T> validator) {
            return add(type, eventClass, List.of(widen(eventClass, Objects.requireNonNull(validator, "validator"))));
        }

        @Override
        public <T extends E> EventRegistry.Builder<E> validator(Class<T> eventClass,
                EventRegistry.Validator<? super T> validator) {
            Objects.requireNonNull(eventClass, "eventClass");
            Objects.requireNonNull(validator, "validator");
            Registration registration = registrations.values().stream()
                    .filter(each -> each.eventClass().equals(eventClass)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(eventClass.getName() + " is not registered; "
                            + "register it before adding a validator. Registered: " + registrations.keySet()));
            registrations.put(registration.type(), registration.with(widen(eventClass, validator)));
            return this;
        }

        @Override
        public EventRegistry.Builder<E> limits(EventLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        private EventRegistry.Builder<E> add(String type, Class<? extends E> eventClass,
                List<EventRegistry.Validator<Object>> validators) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(eventClass, "eventClass");
            WellFormedText.requireIdentifier("Event type string (" + eventClass.getName() + ")", type, LONGEST_TYPE);
            if (registrations.containsKey(type)) {
                throw new IllegalArgumentException("Event type '" + type + "' is registered twice: "
                        + registrations.get(type).eventClass().getName() + " and " + eventClass.getName());
            }
            registrations.values().stream().filter(each -> each.eventClass().equals(eventClass)).findFirst()
                    .ifPresent(each -> {
                        throw new IllegalArgumentException(eventClass.getName() + " is registered twice: as '"
                                + each.type() + "' and '" + type + "'");
                    });
            if (!eventClass.isRecord()) {
                throw new IllegalArgumentException(eventClass.getName() + " (type '" + type
                        + "') must be a record with components named data and/or meta");
            }
            for (RecordComponent component : eventClass.getRecordComponents()) {
                if (!component.getName().equals("data") && !component.getName().equals("meta")) {
                    throw new IllegalArgumentException(eventClass.getName() + " (type '" + type
                            + "') has a component '" + component.getName()
                            + "'; an event record may only have components named data and meta");
                }
            }
            registrations.put(type, new Registration(type, eventClass, validators));
            return this;
        }

        @Override
        public EventRegistry<E> build() {
            if (eventType.isSealed()) {
                List<String> missing = new ArrayList<>();
                collectUnregistered(eventType, missing);
                if (!missing.isEmpty()) {
                    throw new IllegalStateException("These records implement " + eventType.getName()
                            + " but are not registered: " + missing + ". Register each with a type string.");
                }
            }
            ObjectMapper mapper = EventJson.mapper(limits);
            Map<String, Entry<?>> entries = new LinkedHashMap<>();
            for (Registration registration : registrations.values()) {
                entries.put(registration.type(), entry(registration, mapper));
            }
            return new RecordEventRegistry<>(eventType, limits, entries);
        }

        private static Entry<?> entry(Registration registration, ObjectMapper mapper) {
            return entry(registration.type(), registration.eventClass(), registration.validators(), mapper);
        }

        private static <T> Entry<T> entry(String type, Class<T> eventClass,
                List<EventRegistry.Validator<Object>> validators, ObjectMapper mapper) {
            RecordComponent[] components = eventClass.getRecordComponents();
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
                constructor = eventClass.getDeclaredConstructor(parameterTypes);
                constructor.setAccessible(true);
                for (RecordComponent component : components) {
                    component.getAccessor().setAccessible(true);
                }
            } catch (NoSuchMethodException | RuntimeException e) {
                throw new IllegalArgumentException("Cannot use the canonical constructor of " + eventClass.getName()
                        + "; make the record and its constructor accessible", e);
            }
            return new Entry<>(type, eventClass, constructor, List.copyOf(order), Part.of(data, mapper),
                    Part.of(meta, mapper), validators);
        }

        private void collectUnregistered(Class<?> type, List<String> missing) {
            for (Class<?> permitted : type.getPermittedSubclasses()) {
                if (permitted.isSealed()) {
                    collectUnregistered(permitted, missing);
                } else if (permitted.isRecord()
                        && registrations.values().stream().noneMatch(each -> each.eventClass().equals(permitted))) {
                    missing.add(permitted.getName());
                }
            }
        }
    }
}
