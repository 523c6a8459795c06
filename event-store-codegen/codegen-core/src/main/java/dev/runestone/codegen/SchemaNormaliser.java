package dev.runestone.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Turns an event as written (in the property-map form or the full-schema form) into one full JSON Schema, and
 * reports every keyword the generator cannot honour.
 *
 * <p>The property-map form is the config form of the original TypeScript library: {@code data} and {@code meta} map
 * property names to schemas, and every object that does not say {@code required} requires each of its properties
 * whose type does not admit {@code null}, at every depth. In the full-schema form {@code data} or {@code meta} is
 * itself a schema with a top-level {@code type}, and {@code required} means what JSON Schema says: a property it does
 * not list may be absent.
 *
 * <p>A schema may use the keywords of {@link Keyword}, each on the types it applies to, and nothing else.
 */
final class SchemaNormaliser {

    static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    static final Set<String> FORMATS = new LinkedHashSet<>(List.of("email", "uuid", "date-time", "date", "uri"));

    private static final Set<String> TYPES = Set.of("string", "integer", "number", "boolean", "object", "array");

    private static final Set<String> EVENT_KEYS = Set.of("type", "version", "data", "meta", "description",
            "deprecated", "retired", "x-java-type", "$comment");

    /** What a retired event may still say: it generates nothing, and its schemas are in the lock. */
    private static final Set<String> RETIRED_KEYS = Set.of("type", "retired", "description", "$comment");

    /**
     * Every keyword a schema may use, with the types it applies to (none named: every type), in the order of the
     * "Supported keywords" table in {@code docs/codegen.md}. Any other keyword is reported.
     */
    private enum Keyword {
        TYPE("type"),
        PROPERTIES("properties", "object"),
        REQUIRED("required", "object"),
        ADDITIONAL_PROPERTIES("additionalProperties", "object"),
        ITEMS("items", "array"),
        MIN_ITEMS("minItems", "array"),
        MAX_ITEMS("maxItems", "array"),
        ENUM("enum", "string", "integer", "number"),
        CONST("const", "string", "integer", "number", "boolean"),
        FORMAT("format", "string"),
        MIN_LENGTH("minLength", "string"),
        MAX_LENGTH("maxLength", "string"),
        PATTERN("pattern", "string"),
        MINIMUM("minimum", "integer", "number"),
        MAXIMUM("maximum", "integer", "number"),
        EXCLUSIVE_MINIMUM("exclusiveMinimum", "integer", "number"),
        EXCLUSIVE_MAXIMUM("exclusiveMaximum", "integer", "number"),
        DESCRIPTION("description"),
        DEPRECATED("deprecated"),
        X_JAVA_NAME("x-java-name"),
        X_JAVA_TYPE("x-java-type"),
        TITLE("title"),
        COMMENT("$comment"),
        EXAMPLES("examples");

        private static final Map<String, Keyword> BY_NAME = Stream.of(values())
                .collect(Collectors.toUnmodifiableMap(keyword -> keyword.written, keyword -> keyword));

        /** The keyword as a schema writes it. */
        private final String written;
        private final List<String> types;

        Keyword(String written, String... types) {
            this.written = written;
            this.types = List.of(types);
        }

        static @Nullable Keyword named(String written) {
            return BY_NAME.get(written);
        }

        /** All of them, as a message lists them. */
        static String listed() {
            return Stream.of(values()).map(keyword -> keyword.written).collect(Collectors.joining(", "));
        }

        boolean appliesTo(String type) {
            return types.isEmpty() || types.contains(type);
        }

        /** The types it applies to, as a message says them: {@code strings, integers and numbers}. */
        String typesInWords() {
            List<String> plurals = types.stream().map(type -> type + "s").toList();
            return plurals.size() == 1 ? plurals.get(0) : String.join(", ", plurals.subList(0, plurals.size() - 1))
                    + " and " + plurals.get(plurals.size() - 1);
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Problems problems;
    private Path file = Path.of("");
    private final Map<JsonNode, String> pointers = new IdentityHashMap<>();

    SchemaNormaliser(Problems problems) {
        this.problems = problems;
    }

    /** The event as one schema, or {@code null} if its type string is unusable; other problems are collected. */
    @Nullable NormalisedEvent normalise(EventSource source) {
        this.file = source.file().path();
        pointers.clear();
        ObjectNode event = source.node();
        String at = source.pointer();
        for (Iterator<String> names = event.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!EVENT_KEYS.contains(name)) {
                problem(at + Problems.step(name), "unknown key \"" + name + "\"; an event has \"type\", \"version\", "
                        + "\"data\", \"meta\", \"description\", \"deprecated\", \"retired\" and \"x-java-type\"");
            }
        }
        String type = eventType(event.get("type"), at);
        int version = version(event.get("version"), at);
        boolean retired = retired(event, at);

        ObjectNode schema = NODES.objectNode();
        schema.put("$schema", DIALECT);
        schema.put("title", type == null ? "" : type);
        copyAnnotations(event, schema, at, false);
        if (event.has("x-java-type") && javaTypeName(event.get("x-java-type"), at + "/x-java-type")) {
            schema.set("x-java-type", event.get("x-java-type"));
        }
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        for (String part : List.of("data", "meta")) {
            JsonNode written = event.get(part);
            if (written == null || retired) {
                continue;
            }
            ObjectNode normalised = part(written, at + "/" + part);
            if (normalised != null) {
                properties.set(part, normalised);
                required.add(part);
            }
        }
        schema.set("required", required);
        schema.put("additionalProperties", false);
        pointers.put(schema, at);
        pointers.put(properties, at);
        return type == null ? null
                : new NormalisedEvent(source, type, version, retired, schema, new IdentityHashMap<>(pointers));
    }

    /** The event's {@code version}: 1 unless it says otherwise. */
    private int version(@Nullable JsonNode node, String at) {
        if (node == null) {
            return 1;
        }
        if (!node.canConvertToInt() || !isInteger(node) || node.intValue() < 1) {
            problem(at + "/version", "must be a whole number, 1 or more");
            return 1;
        }
        return node.intValue();
    }

    /** Whether the event is retired; a retired event may say nothing that would generate code. */
    private boolean retired(ObjectNode event, String at) {
        JsonNode node = event.get("retired");
        if (node == null) {
            return false;
        }
        if (!node.isBoolean()) {
            problem(at + "/retired", "must be true or false");
            return false;
        }
        if (node.asBoolean()) {
            for (Iterator<String> names = event.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (EVENT_KEYS.contains(name) && !RETIRED_KEYS.contains(name)) {
                    problem(at + Problems.step(name), "a retired type generates nothing, so \"" + name + "\" has no "
                            + "use: remove it; the lock keeps the schema of every version");
                }
            }
        }
        return node.asBoolean();
    }

    private @Nullable String eventType(@Nullable JsonNode node, String at) {
        if (node == null) {
            problem(at, "has no \"type\"; give it a type string such as \"user:created\"");
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            problem(at + "/type", "must be a non-blank string such as \"user:created\"");
            return null;
        }
        String type = node.asText();
        if (!type.equals(type.strip())) {
            problem(at + "/type", "must not start or end with whitespace");
            return null;
        }
        return type;
    }

    /** {@code data} or {@code meta}: a full schema if it has a top-level type, else a property map. */
    private @Nullable ObjectNode part(JsonNode written, String at) {
        if (!(written instanceof ObjectNode object)) {
            problem(at, "must be an object: either a JSON Schema with a \"type\", or a map of property names to "
                    + "schemas");
            return null;
        }
        JsonNode type = object.get("type");
        if (type != null && (type.isTextual() || type.isArray())) {
            return schema(object, at, false, false);
        }
        ObjectNode normalised = NODES.objectNode();
        normalised.put("type", "object");
        ObjectNode properties = normalised.putObject("properties");
        pointers.put(properties, at);
        ArrayNode required = NODES.arrayNode();
        Map<String, String> javaNames = new HashMap<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String propertyAt = at + Problems.step(field.getKey());
            javaName(field.getKey(), field.getValue(), propertyAt, javaNames);
            ObjectNode property = schema(field.getValue(), propertyAt, true, true);
            if (property != null) {
                properties.set(field.getKey(), property);
                if (!admitsNull(property)) {
                    required.add(field.getKey());
                }
            }
        }
        normalised.set("required", required);
        normalised.put("additionalProperties", false);
        pointers.put(normalised, at);
        return normalised;
    }

    /**
     * Normalises one schema.
     *
     * @param propertyMapForm whether the schema is in the property-map form, whose objects without {@code required}
     *                        require all their non-nullable properties
     * @param isProperty      whether the schema is a property's, so that {@code x-java-name} may name it
     */
    private @Nullable ObjectNode schema(JsonNode written, String at, boolean propertyMapForm, boolean isProperty) {
        if (!(written instanceof ObjectNode object)) {
            problem(at, written.isBoolean()
                    ? "boolean schemas are not supported; write an object schema with a \"type\""
                    : "must be a JSON Schema object such as {\"type\": \"string\"}");
            return null;
        }
        int before = problems.size();
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (Keyword.named(name) == null) {
                problem(at + Problems.step(name), unsupported(name));
            }
        }
        if (problems.size() != before && !object.has("type")) {
            // A schema made of $ref or oneOf has no type of its own; saying so again adds nothing.
            return null;
        }
        TypeDecl type = type(object, at);
        if (type == null) {
            return null;
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            Keyword keyword = Keyword.named(name);
            if (keyword != null && !keyword.appliesTo(type.base())) {
                problem(at + Problems.step(name), "\"" + name + "\" does not apply to " + article(type.base())
                        + "; it applies to " + keyword.typesInWords());
            }
        }
        ObjectNode normalised = NODES.objectNode();
        copyAnnotations(object, normalised, at, isProperty);
        if (object.has("x-java-type")) {
            if (!type.base().equals("object") && !object.has("enum")) {
                problem(at + "/x-java-type", "names a generated class, so it only applies to objects and enums");
            } else {
                javaTypeName(object.get("x-java-type"), at + "/x-java-type");
                normalised.set("x-java-type", object.get("x-java-type"));
            }
        }
        normalised.set("type", type.nullable()
                ? NODES.arrayNode().add(type.base()).add("null")
                : NODES.textNode(type.base()));
        switch (type.base()) {
            case "string" -> string(object, normalised, at, type);
            case "integer", "number" -> number(object, normalised, at, type);
            case "boolean" -> constant(object, normalised, at, type);
            case "object" -> object(object, normalised, at, propertyMapForm);
            case "array" -> array(object, normalised, at, propertyMapForm);
            default -> throw new IllegalStateException(type.base());
        }
        pointers.put(normalised, at);
        return problems.size() == before ? normalised : null;
    }

    private record TypeDecl(String base, boolean nullable) {
    }

    private @Nullable TypeDecl type(ObjectNode object, String at) {
        JsonNode type = object.get("type");
        if (type == null) {
            return inferredType(object, at);
        }
        List<String> names = new ArrayList<>();
        if (type.isTextual()) {
            names.add(type.asText());
        } else if (type.isArray() && !type.isEmpty()) {
            for (JsonNode name : type) {
                if (!name.isTextual()) {
                    problem(at + "/type", "must be a type name or an array of type names");
                    return null;
                }
                names.add(name.asText());
            }
        } else {
            problem(at + "/type", "must be a type name or an array of type names");
            return null;
        }
        boolean nullable = names.remove("null");
        if (names.size() != 1 || !TYPES.contains(names.get(0))) {
            if (names.size() == 1) {
                problem(at + "/type", "unknown type \"" + names.get(0) + "\"; use string, integer, number, boolean, "
                        + "object or array");
            } else if (names.isEmpty()) {
                problem(at + "/type", "\"null\" alone is not a type a Java value can have; use [\"<type>\", \"null\"]");
            } else {
                problem(at + "/type", "a value must have one type, optionally with \"null\"; " + names
                        + " would need a union, which Java records cannot express");
            }
            return null;
        }
        return new TypeDecl(names.get(0), nullable);
    }

    private @Nullable TypeDecl inferredType(ObjectNode object, String at) {
        List<JsonNode> values = new ArrayList<>();
        if (object.get("enum") instanceof ArrayNode array) {
            array.forEach(values::add);
        } else if (object.has("const")) {
            values.add(object.get("const"));
        } else {
            problem(at, "has no \"type\"; add one, e.g. \"type\": \"string\"");
            return null;
        }
        boolean nullable = values.removeIf(JsonNode::isNull);
        String base = null;
        if (!values.isEmpty() && values.stream().allMatch(JsonNode::isTextual)) {
            base = "string";
        } else if (!values.isEmpty() && values.stream().allMatch(SchemaNormaliser::isInteger)) {
            base = "integer";
        } else if (!values.isEmpty() && values.stream().allMatch(JsonNode::isNumber)) {
            base = "number";
        } else if (!values.isEmpty() && values.stream().allMatch(JsonNode::isBoolean)) {
            base = "boolean";
        }
        if (base == null) {
            problem(at, "has no \"type\" and its values do not share one; add a \"type\"");
            return null;
        }
        return new TypeDecl(base, nullable);
    }

    private void copyAnnotations(ObjectNode from, ObjectNode to, String at, boolean isProperty) {
        JsonNode description = from.get("description");
        if (description != null) {
            if (description.isTextual()) {
                to.set("description", description);
            } else {
                problem(at + "/description", "must be a string");
            }
        }
        JsonNode title = from.get("title");
        if (title != null) {
            if (title.isTextual()) {
                to.set("title", title);
            } else {
                problem(at + "/title", "must be a string");
            }
        }
        JsonNode deprecated = from.get("deprecated");
        if (deprecated != null) {
            if (deprecated.isBoolean()) {
                if (deprecated.asBoolean()) {
                    to.put("deprecated", true);
                }
            } else {
                problem(at + "/deprecated", "must be true or false");
            }
        }
        if (from.has("examples") && !from.get("examples").isArray()) {
            problem(at + "/examples", "must be an array");
        }
        JsonNode javaName = from.get("x-java-name");
        if (javaName != null) {
            if (!isProperty) {
                problem(at + "/x-java-name", "names a record component, so it only applies to a property's schema");
            } else if (!javaName.isTextual() || !Names.isUsableComponentName(javaName.asText())) {
                problem(at + "/x-java-name", "must be a Java identifier that can name a record component, such as "
                        + "\"firstName\"");
            } else {
                to.set("x-java-name", javaName);
            }
        }
    }

    private boolean javaTypeName(JsonNode name, String at) {
        if (!name.isTextual() || !Names.isClassName(name.asText())) {
            problem(at, "must be a simple Java class name such as \"Address\"");
            return false;
        }
        return true;
    }

    private void string(ObjectNode object, ObjectNode normalised, String at, TypeDecl type) {
        String format = null;
        if (object.has("format")) {
            JsonNode node = object.get("format");
            if (!node.isTextual() || !FORMATS.contains(node.asText())) {
                problem(at + "/format", "unsupported format " + node + "; supported: " + String.join(", ", FORMATS));
            } else {
                format = node.asText();
                normalised.set("format", node);
            }
        }
        boolean textual = format == null || format.equals("email");
        Integer minLength = count(object, normalised, "minLength", at);
        Integer maxLength = count(object, normalised, "maxLength", at);
        if (minLength != null && maxLength != null && minLength > maxLength) {
            problem(at + "/minLength", "is greater than maxLength (" + maxLength + "); no string could pass");
        }
        if (object.has("pattern")) {
            JsonNode node = object.get("pattern");
            if (!node.isTextual()) {
                problem(at + "/pattern", "must be a regular expression string");
            } else {
                try {
                    Pattern.compile(node.asText());
                    normalised.set("pattern", node);
                } catch (PatternSyntaxException e) {
                    problem(at + "/pattern", "is not a valid regular expression: " + e.getDescription()
                            + " near index " + e.getIndex());
                }
            }
        }
        if (!textual) {
            for (String keyword : List.of("minLength", "maxLength", "pattern", "enum", "const")) {
                if (object.has(keyword)) {
                    problem(at + Problems.step(keyword), "does not combine with format \"" + format
                            + "\", whose values are not plain strings in Java");
                }
            }
        }
        if (object.has("enum")) {
            for (String keyword : List.of("minLength", "maxLength", "pattern", "format")) {
                if (object.has(keyword)) {
                    problem(at + Problems.step(keyword), "does not combine with \"enum\", whose values are fixed");
                }
            }
        }
        constant(object, normalised, at, type);
    }

    private void number(ObjectNode object, ObjectNode normalised, String at, TypeDecl type) {
        boolean integer = type.base().equals("integer");
        BigDecimal lowest = null;
        BigDecimal highest = null;
        for (String keyword : List.of("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum")) {
            JsonNode node = object.get(keyword);
            if (node == null) {
                continue;
            }
            if (!node.isNumber()) {
                problem(at + Problems.step(keyword), node.isBoolean()
                        ? "must be a number; the boolean form of draft 4 is not supported"
                        : "must be a number");
            } else if (integer && !isInteger(node)) {
                problem(at + Problems.step(keyword), "must be a whole number, as the value is an integer");
            } else {
                normalised.set(keyword, node);
                if (keyword.endsWith("inimum")) {
                    lowest = lowest == null ? node.decimalValue() : lowest.max(node.decimalValue());
                } else {
                    highest = highest == null ? node.decimalValue() : highest.min(node.decimalValue());
                }
            }
        }
        if (lowest != null && highest != null && lowest.compareTo(highest) > 0) {
            problem(at, "its lower bound " + lowest.toPlainString() + " is above its upper bound "
                    + highest.toPlainString() + "; no number could pass");
        }
        constant(object, normalised, at, type);
    }

    /** {@code enum} and {@code const}, for every type that has them. */
    private void constant(ObjectNode object, ObjectNode normalised, String at, TypeDecl type) {
        if (object.has("enum") && object.has("const")) {
            problem(at + "/const", "does not combine with \"enum\"; use one");
            return;
        }
        JsonNode values = object.get("enum");
        if (values != null) {
            if (!values.isArray() || values.isEmpty()) {
                problem(at + "/enum", "must be a non-empty array of values");
                return;
            }
            if (type.base().equals("boolean")) {
                return; // already reported: enum does not apply to a boolean
            }
            Set<JsonNode> seen = new HashSet<>();
            boolean ok = true;
            for (int i = 0; i < values.size(); i++) {
                JsonNode value = values.get(i);
                if (!fits(value, type, at + "/enum/" + i)) {
                    ok = false;
                } else if (!seen.add(comparable(value))) {
                    problem(at + "/enum/" + i, "lists " + value + " twice");
                    ok = false;
                }
            }
            if (ok && type.base().equals("string")) {
                ok = constantNames(values, at);
            }
            if (ok) {
                normalised.set("enum", values);
            }
        }
        JsonNode constant = object.get("const");
        if (constant != null && fits(constant, type, at + "/const")) {
            if (constant.isNull()) {
                problem(at + "/const", "null as the only value makes a component that is always null; remove it");
            } else {
                normalised.set("const", constant);
            }
        }
    }

    /** Checks that a property's Java name, its own or its {@code x-java-name}, is usable and not taken. */
    private void javaName(String jsonName, JsonNode schema, String at, Map<String, String> taken) {
        JsonNode mapped = schema.get("x-java-name");
        if (mapped != null) {
            if (mapped.isTextual() && Names.isUsableComponentName(mapped.asText())) {
                claim(mapped.asText(), jsonName, at, taken);
            }
            return;
        }
        if (!Names.isUsableComponentName(jsonName)) {
            problem(at, "the property name \"" + jsonName + "\" is not a usable Java name; map it with "
                    + "\"x-java-name\", e.g. \"x-java-name\": \"" + Names.camelCase(jsonName) + "\"");
        } else {
            claim(jsonName, jsonName, at, taken);
        }
    }

    private void claim(String javaName, String jsonName, String at, Map<String, String> taken) {
        String other = taken.putIfAbsent(javaName, jsonName);
        if (other != null) {
            problem(at, "the properties \"" + other + "\" and \"" + jsonName + "\" both map to the Java name "
                    + javaName + "; set \"x-java-name\" on one of them");
        }
    }

    /** Checks that the values of a string enum give distinct Java constant names. */
    private boolean constantNames(JsonNode values, String at) {
        boolean ok = true;
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            JsonNode value = values.get(i);
            if (value.isNull()) {
                continue;
            }
            String name = Names.constantName(value.asText());
            if (name.isEmpty()) {
                problem(at + "/enum/" + i, "the value \"" + value.asText() + "\" gives no Java constant name; use "
                        + "letters or digits");
                ok = false;
                continue;
            }
            String other = names.putIfAbsent(name, value.asText());
            if (other != null) {
                problem(at + "/enum/" + i, "the values \"" + other + "\" and \"" + value.asText()
                        + "\" both map to the Java constant " + name);
                ok = false;
            }
        }
        return ok;
    }

    private boolean fits(JsonNode value, TypeDecl type, String at) {
        if (value.isNull()) {
            if (!type.nullable()) {
                problem(at, "is null, but the type does not admit null; make it [\"" + type.base() + "\", \"null\"]");
                return false;
            }
            return true;
        }
        boolean fits = switch (type.base()) {
            case "string" -> value.isTextual();
            case "integer" -> isInteger(value);
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> throw new IllegalStateException("enum and const only apply to scalars, not " + type.base());
        };
        if (!fits) {
            problem(at, value + " is not " + article(type.base()));
        }
        return fits;
    }

    private void object(ObjectNode object, ObjectNode normalised, String at, boolean propertyMapForm) {
        ObjectNode properties = normalised.putObject("properties");
        pointers.put(properties, at + "/properties");
        JsonNode written = object.get("properties");
        if (written != null && !written.isObject()) {
            problem(at + "/properties", "must be an object mapping property names to schemas");
            written = null;
        }
        if (written != null) {
            Map<String, String> javaNames = new HashMap<>();
            for (Map.Entry<String, JsonNode> field : written.properties()) {
                String propertyAt = at + "/properties" + Problems.step(field.getKey());
                javaName(field.getKey(), field.getValue(), propertyAt, javaNames);
                ObjectNode property = schema(field.getValue(), propertyAt, propertyMapForm, true);
                if (property != null) {
                    properties.set(field.getKey(), property);
                }
            }
        }
        ArrayNode required = normalised.putArray("required");
        JsonNode writtenRequired = object.get("required");
        if (writtenRequired != null) {
            if (!writtenRequired.isArray()) {
                problem(at + "/required", "must be an array of property names");
            } else {
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < writtenRequired.size(); i++) {
                    JsonNode name = writtenRequired.get(i);
                    if (!name.isTextual()) {
                        problem(at + "/required/" + i, "must be a property name");
                    } else if (written == null || !written.has(name.asText())) {
                        problem(at + "/required/" + i, "names \"" + name.asText()
                                + "\", which is not among the properties");
                    } else if (!seen.add(name.asText())) {
                        problem(at + "/required/" + i, "names \"" + name.asText() + "\" twice");
                    } else {
                        required.add(name);
                    }
                }
            }
        } else if (propertyMapForm) {
            properties.properties().forEach(field -> {
                if (!admitsNull(field.getValue())) {
                    required.add(field.getKey());
                }
            });
        }
        JsonNode additional = object.get("additionalProperties");
        if (additional != null && !(additional.isBoolean() && !additional.asBoolean())) {
            problem(at + "/additionalProperties", "only false is supported: every property of a record is declared");
        }
        normalised.put("additionalProperties", false);
    }

    private void array(ObjectNode object, ObjectNode normalised, String at, boolean propertyMapForm) {
        JsonNode items = object.get("items");
        if (items == null) {
            problem(at, "an array needs \"items\", the schema of its elements");
        } else if (items.isArray()) {
            problem(at + "/items", "tuples (an array of schemas) are not supported; give one schema for every element");
        } else if (items instanceof ObjectNode itemSchema && itemSchema.path("type").isTextual()
                && itemSchema.get("type").asText().equals("array")) {
            problem(at + "/items", "arrays of arrays are not supported; make the elements objects that hold an array");
        } else {
            ObjectNode normalisedItems = schema(items, at + "/items", propertyMapForm, false);
            if (normalisedItems != null) {
                normalised.set("items", normalisedItems);
            }
        }
        Integer minItems = count(object, normalised, "minItems", at);
        Integer maxItems = count(object, normalised, "maxItems", at);
        if (minItems != null && maxItems != null && minItems > maxItems) {
            problem(at + "/minItems", "is greater than maxItems (" + maxItems + "); no array could pass");
        }
    }

    private @Nullable Integer count(ObjectNode object, ObjectNode normalised, String keyword, String at) {
        JsonNode node = object.get(keyword);
        if (node == null) {
            return null;
        }
        if (!node.canConvertToInt() || !isInteger(node) || node.intValue() < 0) {
            problem(at + Problems.step(keyword), "must be a whole number, 0 or more");
            return null;
        }
        normalised.put(keyword, node.intValue());
        return node.intValue();
    }

    static boolean admitsNull(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isArray()) {
            for (JsonNode name : type) {
                if ("null".equals(name.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isInteger(JsonNode node) {
        if (node.isIntegralNumber()) {
            return true;
        }
        if (!node.isNumber()) {
            return false;
        }
        BigDecimal value = node.decimalValue();
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    /** Numbers compare by value, so that 1 and 1.0 count as the same enum value. */
    private static JsonNode comparable(JsonNode value) {
        return value.isNumber() ? NODES.numberNode(value.decimalValue().stripTrailingZeros()) : value;
    }

    private static String unsupported(String keyword) {
        return switch (keyword) {
            case "$ref", "$defs", "definitions" -> "\"" + keyword + "\" is not supported; write the schema inline";
            case "oneOf", "anyOf", "allOf", "not" -> "\"" + keyword + "\" is not supported: each schema must map to "
                    + "one Java type";
            case "if", "then", "else", "dependentRequired", "dependentSchemas", "dependencies" -> "\"" + keyword
                    + "\" is not supported: conditional schemas cannot be checked by a record's type";
            case "patternProperties", "propertyNames", "unevaluatedProperties", "minProperties", "maxProperties" ->
                    "\"" + keyword + "\" is not supported: a record has a fixed set of properties";
            case "default" -> "\"default\" is not supported: a missing optional value is null in Java";
            default -> "unsupported keyword \"" + keyword + "\"; supported: " + Keyword.listed();
        };
    }

    private static String article(String type) {
        return (type.startsWith("a") || type.startsWith("i") || type.startsWith("o") ? "an " : "a ") + type;
    }

    private void problem(String pointer, String message) {
        problems.add(file, pointer, message);
    }
}
