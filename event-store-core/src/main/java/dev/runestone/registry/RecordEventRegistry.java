package dev.runestone.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runestone.EventDecodingException;
import dev.runestone.EventValidationException;
import dev.runestone.EventValidationException.Violation;
import dev.runestone.UnknownEventTypeException;
import dev.runestone.UnknownEventVersionException;
import dev.runestone.internal.WellFormedText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EventRegistry} of Java records whose {@code data} and {@code meta} components are encoded with Jackson,
 * held to one {@link EventLimits} both ways: what {@link #encode} accepts, {@link #decode} reads back equal. Each
 * type is written at its registered version and read at any version up to it, through the upcasters registered for
 * the older ones. Immutable and thread-safe once built.
 *
 * @param <E> the common supertype of the events
 */
final class RecordEventRegistry<E> implements EventRegistry<E> {

    /** Type strings are stored with every event and indexed: the same bound as stream ids. */
    private static final int LONGEST_TYPE = 512;

    /** More JSON rewrites than this for one event means upcasters that lead back to where they started. */
    private static final int MOST_JSON_STEPS = 100;

    /** A type at one version: where a JSON upcaster applies. */
    private record TypeVersion(String type, int version) {
    }

    private final Class<E> eventType;
    private final EventLimits limits;
    private final Map<String, Entry<?>> byType;
    private final Map<Class<?>, Entry<?>> byClass;
    private final Map<TypeVersion, JsonUpcaster> jsonUpcasters;

    private RecordEventRegistry(Class<E> eventType, EventLimits limits, Map<String, Entry<?>> byType,
            Map<TypeVersion, JsonUpcaster> jsonUpcasters) {
        this.eventType = eventType;
        this.limits = limits;
        this.byType = Map.copyOf(byType);
        Map<Class<?>, Entry<?>> classes = new LinkedHashMap<>();
        byType.values().forEach(entry -> classes.put(entry.codec().recordClass(), entry));
        this.byClass = Map.copyOf(classes);
        this.jsonUpcasters = Map.copyOf(jsonUpcasters);
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
    public int versionOf(String type) {
        return entryOf(type).version();
    }

    @Override
    public Class<? extends E> classOf(String type) {
        return entryOf(type).codec().recordClass().asSubclass(eventType);
    }

    @Override
    public EncodedEvent encode(E event) {
        Entry<?> entry = entryOf(event.getClass());
        List<Violation> violations = new ArrayList<>();
        String data = entry.codec().writeData(event, limits, violations);
        String meta = entry.codec().writeMeta(event, limits, violations);
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
        return new EncodedEvent(entry.type(), entry.version(), data, meta);
    }

    @Override
    public E decode(String type, EncodedEvent encoded) {
        EncodedEvent stored = rewritten(encoded.type().equals(type) ? encoded
                : new EncodedEvent(type, encoded.version(), encoded.data(), encoded.meta()));
        return eventType.cast(entryOf(stored.type()).read(stored));
    }

    /** The stored JSON after every JSON upcaster that applies to it, one after the other. */
    private EncodedEvent rewritten(EncodedEvent stored) {
        if (jsonUpcasters.isEmpty()) {
            return stored; // The common case, kept free of a lookup per event read.
        }
        EncodedEvent current = stored;
        for (int steps = 0; steps < MOST_JSON_STEPS; steps++) {
            JsonUpcaster upcaster = jsonUpcasters.get(new TypeVersion(current.type(), current.version()));
            if (upcaster == null) {
                return current;
            }
            EncodedEvent next;
            try {
                next = Objects.requireNonNull(upcaster.upcast(current), "the JSON upcaster returned null");
            } catch (RuntimeException e) {
                throw upcasterFailed(current.type(), current.version(), "its JSON upcaster failed: " + e, e);
            }
            current = next;
        }
        throw upcasterFailed(stored.type(), stored.version(), "its JSON upcasters rewrote it " + MOST_JSON_STEPS
                + " times without reaching a version they leave alone; they lead back to where they started", null);
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

    private static EventDecodingException upcasterFailed(String type, int version, String why,
            @Nullable Throwable cause) {
        return new EventDecodingException("stored " + WellFormedText.printable(type) + " version " + version
                + " cannot be read: " + why, List.of(new Violation("version", "upcaster", why)), cause);
    }

    /** One step of a type's history: the record of an older version, and how it becomes the next one. */
    private record Step(RecordCodec<?> stored, Upcaster<Object, Object> upcaster) {
    }

    /**
     * A registered type: the record it is written as, at which version, its extra rules, and the steps that bring
     * each older version up to it.
     */
    private record Entry<T>(String type, int version, RecordCodec<T> codec,
            List<EventRegistry.Validator<Object>> validators, Map<Integer, Step> steps) {

        /** The current record the stored JSON holds, of whatever version it was written at. */
        T read(EncodedEvent stored) {
            if (stored.version() == version) {
                return codec.read(stored);
            }
            if (stored.version() > version) {
                throw new UnknownEventVersionException("stored " + type + " is version " + stored.version()
                        + ", but this registry knows it up to version " + version + ": the event was written by a "
                        + "newer version of the service. Deploy that version here to read it.", type,
                        stored.version(), version);
            }
            Object value = steps.get(stored.version()).stored().read(stored);
            for (int from = stored.version(); from < version; from++) {
                Object next;
                try {
                    next = steps.get(from).upcaster().upcast(value);
                } catch (RuntimeException e) {
                    throw upcasterFailed(type, stored.version(), "the upcaster from version " + from + " failed: "
                            + e, e);
                }
                Class<?> expected = from + 1 == version ? codec.recordClass()
                        : steps.get(from + 1).stored().recordClass();
                if (!expected.isInstance(next)) {
                    throw upcasterFailed(type, stored.version(), "the upcaster from version " + from + " returned "
                            + (next == null ? "null" : next.getClass().getName()) + ", not " + expected.getName(),
                            null);
                }
                value = next;
            }
            return codec.recordClass().cast(value);
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
    }

    /** What {@link RegistryBuilder} knows of a record before the registry is built. */
    private record Registration(String type, int version, Class<?> eventClass,
            List<EventRegistry.Validator<Object>> validators) {

        Registration with(EventRegistry.Validator<Object> validator) {
            List<EventRegistry.Validator<Object>> more = new ArrayList<>(validators);
            more.add(validator);
            return new Registration(type, version, eventClass, List.copyOf(more));
        }
    }

    /** An upcaster step as registered: the record of the older version and the function to the next. */
    private record StepRegistration(Class<?> storedAs, Upcaster<Object, Object> upcaster) {
    }

    /** A validator of one record class that takes any event; the registry hands it only that class's. */
    private static <T> EventRegistry.Validator<Object> widen(Class<T> eventClass,
            EventRegistry.Validator<? super T> validator) {
        return event -> validator.validate(eventClass.cast(event));
    }

    /** An upcaster of one stored record class that takes any value; the chain hands it only that class's. */
    private static <O> Upcaster<Object, Object> widen(Class<O> storedAs, Upcaster<? super O, ?> upcaster) {
        return value -> upcaster.upcast(storedAs.cast(value));
    }

    private static final class RegistryBuilder<E> implements EventRegistry.Builder<E> {

        private final Class<E> eventType;
        private final Map<String, Registration> registrations = new LinkedHashMap<>();
        private final Map<String, Map<Integer, StepRegistration>> steps = new LinkedHashMap<>();
        private final Map<TypeVersion, JsonUpcaster> jsonUpcasters = new LinkedHashMap<>();
        private EventLimits limits = EventLimits.defaults();

        RegistryBuilder(Class<E> eventType) {
            this.eventType = Objects.requireNonNull(eventType, "eventType");
        }

        @Override
        public <T extends E> EventRegistry.Builder<E> register(String type, Class<T> eventClass) {
            return add(type, 1, eventClass, List.of());
        }

        @Override
        public <T extends E> EventRegistry.Builder<E> register(String type, int version, Class<T> eventClass) {
            return add(type, version, eventClass, List.of());
        }

        @Override
        public <T extends E> EventRegistry.Builder<E> register(String type, Class<T> eventClass,
                EventRegistry.Validator<? super T> validator) {
            return add(type, 1, eventClass,
                    List.of(widen(eventClass, Objects.requireNonNull(validator, "validator"))));
        }

        @Override
        public <O> EventRegistry.Builder<E> upcaster(String type, int fromVersion, Class<O> storedAs,
                Upcaster<? super O, ?> upcaster) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(storedAs, "storedAs");
            Objects.requireNonNull(upcaster, "upcaster");
            requireVersion(fromVersion);
            String label = "'" + type + "' version " + fromVersion;
            RecordCodec.requireShape(label, storedAs);
            Map<Integer, StepRegistration> ofType = steps.computeIfAbsent(type, any -> new TreeMap<>());
            if (ofType.containsKey(fromVersion)) {
                throw new IllegalArgumentException("Two upcasters read " + label + "; register one");
            }
            ofType.put(fromVersion, new StepRegistration(storedAs, widen(storedAs, upcaster)));
            return this;
        }

        @Override
        public EventRegistry.Builder<E> jsonUpcaster(String type, int version, JsonUpcaster upcaster) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(upcaster, "upcaster");
            requireVersion(version);
            if (jsonUpcasters.putIfAbsent(new TypeVersion(type, version), upcaster) != null) {
                throw new IllegalArgumentException("Two JSON upcasters rewrite '" + type + "' version " + version
                        + "; register one");
            }
            return this;
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

        private EventRegistry.Builder<E> add(String type, int version, Class<? extends E> eventClass,
                List<EventRegistry.Validator<Object>> validators) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(eventClass, "eventClass");
            WellFormedText.requireIdentifier("Event type string (" + eventClass.getName() + ")", type, LONGEST_TYPE);
            requireVersion(version);
            if (registrations.containsKey(type)) {
                throw new IllegalArgumentException("Event type '" + type + "' is registered twice: "
                        + registrations.get(type).eventClass().getName() + " and " + eventClass.getName());
            }
            registrations.values().stream().filter(each -> each.eventClass().equals(eventClass)).findFirst()
                    .ifPresent(each -> {
                        throw new IllegalArgumentException(eventClass.getName() + " is registered twice: as '"
                                + each.type() + "' and '" + type + "'");
                    });
            RecordCodec.requireShape("type '" + type + "'", eventClass);
            registrations.put(type, new Registration(type, version, eventClass, validators));
            return this;
        }

        private static void requireVersion(int version) {
            if (version < 1) {
                throw new IllegalArgumentException("An event type's version starts at 1, was " + version);
            }
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
            for (String type : steps.keySet()) {
                if (!registrations.containsKey(type)) {
                    throw new IllegalStateException("Upcasters are registered for '" + type + "', which is not a "
                            + "registered type; register its current record with register(\"" + type
                            + "\", <version>, <record>.class), or rewrite the JSON with jsonUpcaster.");
                }
            }
            ObjectMapper mapper = EventJson.mapper(limits);
            Map<String, Entry<?>> entries = new LinkedHashMap<>();
            for (Registration registration : registrations.values()) {
                entries.put(registration.type(), entry(registration, mapper));
            }
            return new RecordEventRegistry<>(eventType, limits, entries, jsonUpcasters);
        }

        private Entry<?> entry(Registration registration, ObjectMapper mapper) {
            String type = registration.type();
            int version = registration.version();
            Map<Integer, StepRegistration> registered = steps.getOrDefault(type, Map.of());
            Map<Integer, Step> chain = new LinkedHashMap<>();
            for (int from = 1; from < version; from++) {
                StepRegistration step = registered.get(from);
                if (step == null) {
                    throw new IllegalStateException("'" + type + "' is registered at version " + version
                            + ", but no upcaster reads version " + from + ": register one with upcaster(\"" + type
                            + "\", " + from + ", <its record>.class, <to version " + (from + 1) + ">), or events "
                            + "stored at version " + from + " could not be read.");
                }
                chain.put(from, new Step(RecordCodec.of("'" + type + "' version " + from, step.storedAs(), mapper),
                        step.upcaster()));
            }
            for (int from : registered.keySet()) {
                if (from >= version) {
                    throw new IllegalStateException("An upcaster reads '" + type + "' version " + from + ", but "
                            + "the type is registered at version " + version + ": register the current record at "
                            + "version " + (from + 1) + " or more.");
                }
            }
            return new Entry<>(type, version, RecordCodec.of(type, registration.eventClass(), mapper),
                    registration.validators(), Map.copyOf(chain));
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
