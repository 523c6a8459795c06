package dev.runestone.codegen;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import javax.lang.model.SourceVersion;
import org.jspecify.annotations.Nullable;

/**
 * Main entry point: turns JSON event configs into the Java sources of a sealed event interface, one validated record
 * per event type, and the registry that ties type strings to records.
 *
 * <pre>{@code
 * GeneratedSources sources = EventCodeGenerator.builder()
 *         .input(Path.of("src/main/events"))
 *         .packageName("com.example.events")
 *         .interfaceName("UserEvent")
 *         .build()
 *         .generate();
 * }</pre>
 *
 * <p>Every config is first normalised to one full JSON Schema per event, and that schema drives both the Java types
 * and the checks in the records' constructors. The {@linkplain Builder#lockFile(Path) lock file} keeps the schema of
 * every type at every version: a change to a version it holds must be compatible, a type with versions gets records
 * for its older versions and an upcaster interface, and {@link GeneratedSources#lock()} says what the lock must hold
 * now. The output depends only on the configs, the lock and their names, never on the time or the machine, so the
 * same input gives byte-identical files. Immutable and thread-safe.
 */
public final class EventCodeGenerator {

    private final String packageName;
    private final String interfaceName;
    private final List<Path> inputs;
    private final List<ConfigFile> configs;
    private final @Nullable Path lockFile;

    private EventCodeGenerator(Builder builder) {
        this.packageName = builder.packageName;
        this.interfaceName = builder.interfaceName;
        this.inputs = List.copyOf(builder.inputs);
        this.configs = List.copyOf(builder.configs);
        this.lockFile = builder.lockFile;
    }

    /** Starts configuring a generator; package, interface name and at least one input are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The packages the generated files of {@code packageName} go in: the package itself, and its {@code versions}
     * sub-package for the records of older versions. A build that writes the files owns their folders: a
     * {@code .java} file there that was not generated is stale.
     */
    public static List<String> outputPackages(String packageName) {
        return List.of(packageName, SourceEmitter.versionsPackage(packageName));
    }

    /**
     * Reads every config and the lock file, and generates the sources. Writes nothing: the sources and the lock's new
     * content are in the result.
     *
     * @throws EventConfigException listing every problem in every config and in the lock, breaking changes included,
     *                              if there is any; nothing is generated then
     * @throws java.io.UncheckedIOException if an input folder cannot be listed
     */
    public GeneratedSources generate() {
        Problems problems = new Problems();
        ConfigReader reader = new ConfigReader(problems);
        Path lockPath = lockPath();
        List<ConfigFile> files = new ArrayList<>(reader.read(inputs, lockPath));
        files.addAll(configs);
        // A config that cannot be read may declare any type, so then no type the lock holds is known to be gone.
        boolean allDeclared = problems.isEmpty();
        if (files.isEmpty() && problems.isEmpty()) {
            Path where = inputs.isEmpty() ? Path.of("") : inputs.get(0);
            problems.add(where, "", "no event configs (*.json) found in " + inputs
                    + "; add one, such as user-created.json");
        }
        int beforeLock = problems.size();
        ConfigFile lockFile = lockPath == null ? null : readLock(lockPath, reader, problems);
        Lock lock;
        if (lockFile != null) {
            lock = Lock.read(lockFile, problems);
        } else {
            // A lock that cannot be read is not a missing one: the configs cannot be held against it.
            lock = problems.size() == beforeLock ? Lock.empty() : null;
        }

        SchemaNormaliser normaliser = new SchemaNormaliser(problems);
        List<NormalisedEvent> normalised = new ArrayList<>();
        List<NormalisedEvent> clean = new ArrayList<>();
        Map<String, NormalisedEvent> byType = new HashMap<>();
        for (ConfigFile file : files) {
            int beforeReading = problems.size();
            List<EventSource> sources = reader.events(file);
            allDeclared &= problems.size() == beforeReading;
            for (EventSource source : sources) {
                int before = problems.size();
                NormalisedEvent event = normaliser.normalise(source);
                if (event == null) {
                    allDeclared = false;
                    continue;
                }
                NormalisedEvent first = byType.putIfAbsent(event.type(), event);
                if (first != null) {
                    problems.add(file.path(), source.pointer() + "/type", "duplicate event type \"" + event.type()
                            + "\"; it is already declared in " + where(first.source())
                            + (first.version() == event.version() ? "" : "; declare each type once, at its current "
                                    + "version: the lock keeps the schemas of the older ones"));
                    continue;
                }
                normalised.add(event);
                if (problems.size() == before) {
                    clean.add(event);
                }
            }
        }
        Evolution evolution = new Evolution(lockPath, lock == null ? Lock.empty() : lock, problems);
        if (lock != null) {
            evolution.apply(clean, byType.keySet(), allDeclared);
        }

        List<EventModel> models = models(normalised, evolution, lockFile, normaliser, problems);
        problems.throwIfAny();

        models.sort(Comparator.comparing(model -> model.className().simpleName()));
        Map<String, String> schemas = new LinkedHashMap<>();
        models.forEach(model -> schemas.put(model.type(), model.schema()));
        LockFile lockResult = lockPath == null ? null
                : new LockFile(lockPath, evolution.lock().write(), evolution.changes());
        return new GeneratedSources(new SourceEmitter(packageName, interfaceName).emit(models), schemas, lockResult);
    }

    /** The lock file: as set, else {@link LockFile#DEFAULT_NAME} in the first input folder; none without inputs. */
    private @Nullable Path lockPath() {
        if (lockFile != null) {
            return lockFile;
        }
        if (inputs.isEmpty()) {
            return null;
        }
        Path first = inputs.get(0);
        Path folder = Files.isRegularFile(first) ? first.getParent() : first;
        return folder == null ? Path.of(LockFile.DEFAULT_NAME) : folder.resolve(LockFile.DEFAULT_NAME);
    }

    /** The lock file's text, or {@code null} if there is no lock yet (or it cannot be read, which is a problem). */
    private static @Nullable ConfigFile readLock(Path lockPath, ConfigReader reader, Problems problems) {
        if (Files.isDirectory(lockPath)) {
            problems.add(lockPath, "", "is a folder; the lock file is a file such as " + LockFile.DEFAULT_NAME);
            return null;
        }
        return Files.exists(lockPath) ? reader.readFile(lockPath, lockPath.getFileName().toString()).orElse(null)
                : null;
    }

    /** The model of every event that is not retired, each with the records of its older versions. */
    private List<EventModel> models(List<NormalisedEvent> normalised, Evolution evolution,
            @Nullable ConfigFile lockFile, SchemaNormaliser normaliser, Problems problems) {
        String registryName = SourceEmitter.registryHolderName(interfaceName);
        ModelBuilder modelBuilder = new ModelBuilder(packageName, Set.of(interfaceName, registryName), problems);
        ModelBuilder olderBuilder = new ModelBuilder(SourceEmitter.versionsPackage(packageName), Set.of(), problems);
        // Once a type has versions, the upcaster interfaces are generated beside the records, and no record may
        // take their names.
        Map<String, String> upcasterNames = new HashMap<>();
        for (NormalisedEvent event : normalised) {
            if (!event.retired() && event.version() > 1) {
                upcasterNames.put(SourceEmitter.upcastersName(interfaceName), "the upcasters of every type");
                upcasterNames.put(Evolution.upcaster(event), "the upcaster of \"" + event.type() + "\"");
            }
        }
        List<EventModel> models = new ArrayList<>();
        Map<String, EventModel> byClass = new HashMap<>();
        Map<EventModel, EventSource> sources = new HashMap<>();
        for (NormalisedEvent event : normalised) {
            if (event.retired()) {
                continue;
            }
            EventModel model = modelBuilder.build(event);
            if (model == null) {
                continue;
            }
            String className = model.className().simpleName();
            EventSource source = event.source();
            String pointer = source.pointer() + (source.node().has("x-java-type") ? "/x-java-type" : "/type");
            if (className.equals(interfaceName) || className.equals(registryName)
                    || Names.RESERVED.contains(className)) {
                problems.add(source.file().path(), pointer, "the event's class would be named " + className
                        + ", which the generated code already uses; set \"x-java-type\" on the event");
                continue;
            }
            if (upcasterNames.containsKey(className)) {
                problems.add(source.file().path(), pointer, "the event's class would be named " + className
                        + ", which the generated code already uses for " + upcasterNames.get(className)
                        + "; set \"x-java-type\" on the event");
                continue;
            }
            EventModel first = byClass.putIfAbsent(className, model);
            if (first != null) {
                problems.add(source.file().path(), pointer, "the types \"" + first.type() + "\" and \""
                        + model.type() + "\" both map to the class " + className + " (see " + where(sources.get(first))
                        + "); set \"x-java-type\" on one of them");
                continue;
            }
            if (model.versioned() && lockFile != null) {
                model = model.withOlder(olderModels(event, evolution.olderVersions(event), lockFile, normaliser,
                        olderBuilder));
            }
            sources.put(model, source);
            models.add(model);
        }
        return models;
    }

    /**
     * The records of a type's older versions, made from the schemas the lock holds for them (each checked to be
     * normalised when the lock was read) by the same normaliser and model builder as the configs, so they are
     * validated records like the current ones.
     */
    private static List<EventModel> olderModels(NormalisedEvent event, SortedMap<Integer, ObjectNode> schemas,
            ConfigFile lockFile, SchemaNormaliser normaliser, ModelBuilder builder) {
        List<EventModel> older = new ArrayList<>();
        schemas.forEach((version, schema) -> {
            String pointer = "/events" + Problems.step(event.type()) + "/versions/" + version + "/schema";
            NormalisedEvent locked = normaliser.normalise(new EventSource(lockFile, pointer,
                    Lock.asConfig(event.type(), version, schema)));
            if (locked == null) {
                return;
            }
            EventModel model = builder.buildOlder(locked, event.className() + "V" + version);
            if (model != null) {
                older.add(model);
            }
        });
        return older;
    }

    /** Where an event is, by the file's name within its input folder, so the text is the same on every machine. */
    private static String where(EventSource source) {
        return source.file().name() + "#" + source.pointer();
    }

    /** Configures an {@link EventCodeGenerator}. Not thread-safe. */
    public static final class Builder {

        private @Nullable String packageName;
        private @Nullable String interfaceName;
        private final List<Path> inputs = new ArrayList<>();
        private final List<ConfigFile> configs = new ArrayList<>();
        private @Nullable Path lockFile;

        private Builder() {
        }

        /** The package of the generated types, e.g. {@code com.example.events}. Required. */
        public Builder packageName(String packageName) {
            this.packageName = Objects.requireNonNull(packageName, "packageName");
            return this;
        }

        /** The simple name of the generated sealed interface, e.g. {@code UserEvent}. Required. */
        public Builder interfaceName(String interfaceName) {
            this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
            return this;
        }

        /**
         * Adds a config file, or a folder whose {@code .json} files (at any depth) are all configs. A path that does
         * not exist is reported as a problem by {@link EventCodeGenerator#generate()}.
         */
        public Builder input(Path input) {
            inputs.add(Objects.requireNonNull(input, "input"));
            return this;
        }

        /** Adds several config files or folders; see {@link #input(Path)}. */
        public Builder inputs(List<Path> inputs) {
            Objects.requireNonNull(inputs, "inputs").forEach(this::input);
            return this;
        }

        /**
         * Adds a config held in memory.
         *
         * @param name the name it is known by in problems and generated comments, e.g. {@code user-created.json}
         * @param json the config's text
         */
        public Builder config(String name, String json) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(json, "json");
            configs.add(new ConfigFile(Path.of(name), name, json));
            return this;
        }

        /**
         * The lock file, which keeps the schema of every event type at every version so that the generator can tell
         * a compatible change from a breaking one and generate the records of older versions. By default
         * {@value LockFile#DEFAULT_NAME} in the first input folder (or beside the first input file); without an
         * input folder or file there is no lock, and no type may have versions. The generator only reads it: write
         * {@link GeneratedSources#lock()} yourself.
         */
        public Builder lockFile(Path lockFile) {
            this.lockFile = Objects.requireNonNull(lockFile, "lockFile");
            return this;
        }

        /**
         * Builds the generator.
         *
         * @throws IllegalStateException if the package or interface name is missing or not a valid Java name, or
         *                               there is no input
         */
        public EventCodeGenerator build() {
            if (packageName == null || !SourceVersion.isName(packageName, SourceVersion.RELEASE_21)) {
                throw new IllegalStateException("Set packageName to a Java package name such as com.example.events"
                        + (packageName == null ? "" : "; \"" + packageName + "\" is not one"));
            }
            if (interfaceName == null || !Names.isClassName(interfaceName)) {
                throw new IllegalStateException("Set interfaceName to a simple Java class name such as UserEvent"
                        + (interfaceName == null ? "" : "; \"" + interfaceName + "\" is not one"));
            }
            if (Names.RESERVED.contains(interfaceName)) {
                throw new IllegalStateException("interfaceName " + interfaceName + " would hide a type the generated "
                        + "code uses; choose another, such as " + interfaceName + "Event");
            }
            if (inputs.isEmpty() && configs.isEmpty()) {
                throw new IllegalStateException("Add at least one config folder or file with input(...)");
            }
            return new EventCodeGenerator(this);
        }
    }
}
