package dev.runestone.codegen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The content of a lock file: for every event type the generator has seen, the normalised schema of each of its
 * versions with the schema's SHA-256, and whether the type is retired.
 *
 * <p>Written in one layout only (types sorted, versions ascending, two-space indents, one schema per version, a final
 * newline, nothing that depends on the time or the machine), so the same content always gives the same bytes and a
 * change shows in review as the lines it touches. Immutable.
 */
final class Lock {

    /** The key whose presence marks a JSON file as a lock. */
    static final String FORMAT_KEY = "lockVersion";

    /** The layout this generator reads and writes. */
    static final int FORMAT = 1;

    private static final String COMMENT = "The schema of every event type at every version, kept by the Runestone "
            + "generator: commit it, and never edit it by hand";

    /** What to do about a lock that is not as the generator wrote it. */
    private static final String RESTORE = "restore the lock from version control";

    private static final Set<String> ROOT_KEYS = Set.of("$comment", FORMAT_KEY, "events");
    private static final Set<String> TYPE_KEYS = Set.of("retired", "versions");
    private static final Set<String> VERSION_KEYS = Set.of("sha256", "schema");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * One event type's history.
     *
     * @param retired  whether the configs retire it: nothing is generated for it, and its versions stay locked
     * @param versions the normalised schema of each version, from 1 up without gaps
     */
    record LockedType(boolean retired, SortedMap<Integer, ObjectNode> versions) {

        LockedType {
            versions = Collections.unmodifiableSortedMap(new TreeMap<>(versions));
        }

        static LockedType first(ObjectNode schema) {
            return new LockedType(false, new TreeMap<>(Map.of(1, schema)));
        }

        int latest() {
            return versions.lastKey();
        }

        LockedType with(int version, ObjectNode schema) {
            SortedMap<Integer, ObjectNode> more = new TreeMap<>(versions);
            more.put(version, schema);
            return new LockedType(retired, more);
        }

        LockedType retired(boolean retired) {
            return new LockedType(retired, versions);
        }
    }

    private final SortedMap<String, LockedType> types;

    private Lock(SortedMap<String, LockedType> types) {
        this.types = Collections.unmodifiableSortedMap(new TreeMap<>(types));
    }

    static Lock empty() {
        return new Lock(new TreeMap<>());
    }

    @Nullable LockedType get(String type) {
        return types.get(type);
    }

    Set<String> types() {
        return types.keySet();
    }

    Lock with(String type, LockedType locked) {
        SortedMap<String, LockedType> more = new TreeMap<>(types);
        more.put(type, locked);
        return new Lock(more);
    }

    /** The lock file's text. */
    String write() {
        ObjectNode root = NODES.objectNode();
        root.put("$comment", COMMENT);
        root.put(FORMAT_KEY, FORMAT);
        ObjectNode events = root.putObject("events");
        types.forEach((type, locked) -> {
            ObjectNode entry = events.putObject(type);
            if (locked.retired()) {
                entry.put("retired", true);
            }
            ObjectNode versions = entry.putObject("versions");
            locked.versions().forEach((version, schema) -> {
                ObjectNode each = versions.putObject(String.valueOf(version));
                each.put("sha256", sha256(schema));
                each.set("schema", schema);
            });
        });
        return ConfigReader.write(root);
    }

    /**
     * The SHA-256 of a schema's canonical form, in lowercase hex: what tells a lock edited by hand from one the
     * generator wrote.
     */
    static String sha256(JsonNode schema) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(canonical(schema).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * A schema's canonical form: the JSON with every object's keys sorted and no whitespace. Arrays keep their order,
     * and numbers are written as {@link ConfigReader#MAPPER} reads them, without trailing zeros: {@code 1.0} is
     * {@code 1}, and {@code 10.0} is {@code 1E+1}.
     */
    static String canonical(JsonNode schema) {
        try {
            return ConfigReader.MAPPER.writeValueAsString(sorted(schema));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree cannot fail to be written", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = NODES.objectNode();
            SortedMap<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(field -> fields.put(field.getKey(), field.getValue()));
            fields.forEach((key, value) -> sorted.set(key, sorted(value)));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode sorted = NODES.arrayNode();
            node.forEach(element -> sorted.add(sorted(element)));
            return sorted;
        }
        return node;
    }

    /**
     * Reads a lock file and checks that it is one this generator wrote: the layout, versions from 1 without gaps,
     * and each schema's hash.
     *
     * @return the lock, or {@code null} if it has problems, which are collected
     */
    static @Nullable Lock read(ConfigFile file, Problems problems) {
        problems.source(file.path(), file.text());
        JsonNode root;
        try {
            root = ConfigReader.MAPPER.readTree(file.text());
        } catch (JsonProcessingException e) {
            problems.add(file.path(), ConfigReader.pointerOf(e), "malformed JSON" + ConfigReader.where(e.getLocation())
                    + ": " + e.getOriginalMessage() + ". After a merge conflict, keep either side whole and build "
                    + "again: the build adds back what the configs hold");
            return null;
        }
        int before = problems.size();
        if (!(root instanceof ObjectNode object)) {
            problems.add(file.path(), "", "is not a lock file: it must be a JSON object holding \"" + FORMAT_KEY
                    + "\" and \"events\"; " + RESTORE);
            return null;
        }
        if (ConfigReader.loneSurrogates(file.path(), object, "", RESTORE, problems)) {
            return null;
        }
        unknownKeys(object, ROOT_KEYS, "", file, problems);
        JsonNode format = object.get(FORMAT_KEY);
        if (format == null || !format.isInt()) {
            problems.add(file.path(), "/" + FORMAT_KEY, "must be " + FORMAT + "; " + RESTORE);
        } else if (format.intValue() != FORMAT) {
            problems.add(file.path(), "/" + FORMAT_KEY, "is " + format.intValue() + ", but this generator reads lock "
                    + "files of version " + FORMAT + "; "
                    + (format.intValue() > FORMAT ? "upgrade Runestone" : RESTORE));
        }
        SortedMap<String, LockedType> types = new TreeMap<>();
        if (!(object.get("events") instanceof ObjectNode events)) {
            problems.add(file.path(), "/events", "must be an object holding the versions of each event type; "
                    + RESTORE);
            return null;
        }
        for (Map.Entry<String, JsonNode> entry : events.properties()) {
            String at = "/events" + Problems.step(entry.getKey());
            LockedType locked = lockedType(entry.getKey(), entry.getValue(), at, file, problems);
            if (locked != null) {
                types.put(entry.getKey(), locked);
            }
        }
        return problems.size() == before ? new Lock(types) : null;
    }

    private static @Nullable LockedType lockedType(String name, JsonNode node, String at, ConfigFile file,
            Problems problems) {
        if (!(node instanceof ObjectNode type)) {
            problems.add(file.path(), at, "must be an object holding \"versions\"; " + RESTORE);
            return null;
        }
        unknownKeys(type, TYPE_KEYS, at, file, problems);
        JsonNode retired = type.get("retired");
        if (retired != null && !retired.isBoolean()) {
            problems.add(file.path(), at + "/retired", "must be true or false; " + RESTORE);
        }
        if (!(type.get("versions") instanceof ObjectNode versions) || versions.isEmpty()) {
            problems.add(file.path(), at + "/versions", "must be an object holding versions from \"1\" up; " + RESTORE);
            return null;
        }
        SortedMap<Integer, ObjectNode> schemas = new TreeMap<>();
        int expected = 1;
        for (Map.Entry<String, JsonNode> entry : versions.properties()) {
            String versionAt = at + "/versions" + Problems.step(entry.getKey());
            if (!entry.getKey().equals(String.valueOf(expected))) {
                problems.add(file.path(), versionAt, "must be version \"" + expected + "\": the versions go from 1 up "
                        + "without gaps; " + RESTORE);
                return null;
            }
            expected++;
            if (!(entry.getValue() instanceof ObjectNode version)) {
                problems.add(file.path(), versionAt, "must be an object holding \"sha256\" and \"schema\"; " + RESTORE);
                continue;
            }
            unknownKeys(version, VERSION_KEYS, versionAt, file, problems);
            JsonNode hash = version.get("sha256");
            if (!(version.get("schema") instanceof ObjectNode schema)) {
                problems.add(file.path(), versionAt + "/schema", "must be the normalised JSON Schema of the "
                        + "version; " + RESTORE);
                continue;
            }
            if (hash == null || !hash.isTextual() || !hash.asText().equals(sha256(schema))) {
                problems.add(file.path(), versionAt + "/sha256", "does not match the schema, so the lock was edited "
                        + "by hand; restore it from version control");
                continue;
            }
            int number = Integer.parseInt(entry.getKey());
            if (!normalised(name, number, schema, file)) {
                problems.add(file.path(), versionAt + "/schema", "is not a normalised schema as the generator "
                        + "writes it; " + RESTORE);
                continue;
            }
            schemas.put(number, schema);
        }
        return new LockedType(retired != null && retired.asBoolean(), schemas);
    }

    /**
     * Whether a schema is one the generator writes: the normalised schema of the config it describes. The hash tells
     * only that a schema was not edited after it was written; this tells that everything that reads the schema (the
     * compatibility rules, the records of older versions) can rely on its shape.
     */
    private static boolean normalised(String type, int version, ObjectNode schema, ConfigFile file) {
        Problems problems = new Problems();
        NormalisedEvent event = new SchemaNormaliser(problems).normalise(new EventSource(file, "",
                asConfig(type, version, schema)));
        return event != null && problems.isEmpty() && canonical(event.schema()).equals(canonical(schema));
    }

    /** A locked schema as the event config that gives it. */
    static ObjectNode asConfig(String type, int version, ObjectNode schema) {
        ObjectNode config = NODES.objectNode();
        config.put("type", type);
        config.put("version", version);
        for (String key : List.of("description", "deprecated", "x-java-type")) {
            if (schema.has(key)) {
                config.set(key, schema.get(key));
            }
        }
        JsonNode properties = schema.path("properties");
        for (String part : List.of("data", "meta")) {
            if (properties.has(part)) {
                config.set(part, properties.get(part));
            }
        }
        return config;
    }

    private static void unknownKeys(ObjectNode object, Set<String> known, String at, ConfigFile file,
            Problems problems) {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                unknown.add(name);
            }
        }
        unknown.forEach(name -> problems.add(file.path(), at + Problems.step(name), "unknown key \"" + name
                + "\" in the lock file; restore it from version control"));
    }
}
