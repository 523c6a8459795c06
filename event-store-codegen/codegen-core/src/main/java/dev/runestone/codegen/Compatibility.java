package dev.runestone.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Compares the schema of one version of an event type as the lock holds it with the schema its config gives now, and
 * lists every difference. A change is compatible when a reader of the new schema still reads every event stored under
 * the old one (a property added as optional, a bound loosened, an enum value added), and breaking otherwise: then
 * events stored at that version need an upcaster, so the change needs a new version.
 *
 * <p>Both schemas are normalised, so every object lists its {@code required} properties and refuses others. Each
 * rule has a name, as the "Compatibility rules" table in {@code docs/codegen.md} lists them.
 */
final class Compatibility {

    /**
     * One difference between the locked schema and the config's.
     *
     * @param pointer  where in the config, as a JSON pointer; for something removed, where it was
     * @param rule     the rule's name, e.g. {@code property-removed}
     * @param detail   what changed, e.g. {@code removes the property "email"}
     * @param breaking whether events stored under the old schema may no longer be read
     */
    record Change(String pointer, String rule, String detail, boolean breaking) {
    }

    /** Keywords that say nothing about which JSON is valid. */
    private static final List<String> ANNOTATIONS = List.of("description", "title", "deprecated", "x-java-name",
            "x-java-type");

    private final NormalisedEvent current;
    private final String stored;
    private final List<Change> changes = new ArrayList<>();

    private Compatibility(NormalisedEvent current, int version) {
        this.current = current;
        this.stored = "events stored at version " + version;
    }

    /**
     * Every difference between {@code locked}, the schema the lock holds for {@code version}, and the config's
     * schema, in the order of the schema.
     */
    static List<Change> compare(ObjectNode locked, NormalisedEvent current, int version) {
        Compatibility compatibility = new Compatibility(current, version);
        compatibility.event(locked, current.schema());
        return List.copyOf(compatibility.changes);
    }

    private void event(ObjectNode old, ObjectNode now) {
        JsonNode oldParts = old.get("properties");
        JsonNode nowParts = now.get("properties");
        for (String part : List.of("data", "meta")) {
            ObjectNode before = (ObjectNode) oldParts.get(part);
            ObjectNode after = (ObjectNode) nowParts.get(part);
            if (before != null && after == null) {
                breaking(at(nowParts) + "/" + part, part + "-removed", "removes " + part + ", which " + stored
                        + " have");
            } else if (before == null && after != null) {
                breaking(at(after), part + "-added", "adds " + part + ", which " + stored + " lack");
            } else if (before != null) {
                String was = baseType(before);
                String is = baseType(after);
                if (was.equals("object") != is.equals("object")) {
                    breaking(at(after) + "/type", "shape-changed", "changes " + part + " from " + article(was)
                            + " to " + article(is));
                } else {
                    value(before, after);
                }
            }
        }
        annotations(old, now);
    }

    private void value(ObjectNode old, ObjectNode now) {
        String was = baseType(old);
        String is = baseType(now);
        if (!was.equals(is)) {
            if (was.equals("integer") && is.equals("number")) {
                compatible(at(now) + "/type", "type-widened", "widens the type from integer to number");
            } else {
                breaking(at(now) + "/type", "type-changed", "changes the type from " + was + " to " + is);
                return;
            }
        }
        boolean wasNullable = SchemaNormaliser.admitsNull(old);
        boolean isNullable = SchemaNormaliser.admitsNull(now);
        if (wasNullable && !isNullable) {
            breaking(at(now) + "/type", "null-removed", "no longer admits null");
        } else if (!wasNullable && isNullable) {
            compatible(at(now) + "/type", "null-added", "admits null");
        }
        switch (is) {
            case "object" -> object(old, now);
            case "array" -> {
                value((ObjectNode) old.get("items"), (ObjectNode) now.get("items"));
                lowerCount(old, now, "minItems");
                upperCount(old, now, "maxItems");
            }
            case "string" -> {
                format(old, now);
                lowerCount(old, now, "minLength");
                upperCount(old, now, "maxLength");
                pattern(old, now);
                values(old, now);
            }
            case "integer", "number" -> {
                bound(old, now, true);
                bound(old, now, false);
                values(old, now);
            }
            default -> values(old, now);
        }
        annotations(old, now);
    }

    private void object(ObjectNode old, ObjectNode now) {
        JsonNode oldProperties = old.get("properties");
        JsonNode nowProperties = now.get("properties");
        Set<String> oldRequired = names(old.get("required"));
        Set<String> nowRequired = names(now.get("required"));
        for (Map.Entry<String, JsonNode> property : oldProperties.properties()) {
            String name = property.getKey();
            if (!nowProperties.has(name)) {
                breaking(at(nowProperties) + Problems.step(name), "property-removed", "removes the property \""
                        + name + "\", which " + stored + " may hold");
            }
        }
        for (Map.Entry<String, JsonNode> property : nowProperties.properties()) {
            String name = property.getKey();
            ObjectNode after = (ObjectNode) property.getValue();
            if (!oldProperties.has(name)) {
                if (nowRequired.contains(name)) {
                    breaking(at(after), "required-property-added", "adds the required property \"" + name
                            + "\", which " + stored + " lack");
                } else {
                    compatible(at(after), "optional-property-added", "adds the optional property \"" + name + "\"");
                }
                continue;
            }
            if (!oldRequired.contains(name) && nowRequired.contains(name)) {
                breaking(at(after), "property-required", "makes the optional property \"" + name + "\" required");
            } else if (oldRequired.contains(name) && !nowRequired.contains(name)) {
                compatible(at(after), "property-optional", "makes the required property \"" + name + "\" optional");
            }
            value((ObjectNode) oldProperties.get(name), after);
        }
    }

    private void format(ObjectNode old, ObjectNode now) {
        String was = text(old, "format");
        String is = text(now, "format");
        if (Objects.equals(was, is)) {
            return;
        }
        if (is == null) {
            compatible(at(now) + "/format", "format-removed", "removes \"format\" " + was);
        } else {
            breaking(at(now) + "/format", "format-changed", was == null ? "adds \"format\" " + is
                    : "changes \"format\" from " + was + " to " + is);
        }
    }

    private void pattern(ObjectNode old, ObjectNode now) {
        String was = text(old, "pattern");
        String is = text(now, "pattern");
        if (Objects.equals(was, is)) {
            return;
        }
        if (is == null) {
            compatible(at(now) + "/pattern", "pattern-removed", "removes \"pattern\" " + was);
        } else {
            breaking(at(now) + "/pattern", "pattern-changed", was == null ? "adds \"pattern\" " + is
                    : "changes \"pattern\" from " + was + " to " + is);
        }
    }

    /** {@code minLength} or {@code minItems}: absent is 0, and raising it is breaking. */
    private void lowerCount(ObjectNode old, ObjectNode now, String keyword) {
        int was = old.path(keyword).asInt(0);
        int is = now.path(keyword).asInt(0);
        if (is > was) {
            breaking(at(now) + "/" + keyword, keyword + "-raised", old.has(keyword)
                    ? "raises \"" + keyword + "\" from " + was + " to " + is : "adds \"" + keyword + "\" " + is);
        } else if (is < was) {
            compatible(at(now) + "/" + keyword, keyword + "-lowered", now.has(keyword)
                    ? "lowers \"" + keyword + "\" from " + was + " to " + is : "removes \"" + keyword + "\" " + was);
        }
    }

    /** {@code maxLength} or {@code maxItems}: absent is no limit, and lowering it is breaking. */
    private void upperCount(ObjectNode old, ObjectNode now, String keyword) {
        Integer was = old.has(keyword) ? old.get(keyword).intValue() : null;
        Integer is = now.has(keyword) ? now.get(keyword).intValue() : null;
        if (Objects.equals(was, is)) {
            return;
        }
        if (was == null || is != null && is < was) {
            breaking(at(now) + "/" + keyword, keyword + "-lowered", was == null ? "adds \"" + keyword + "\" " + is
                    : "lowers \"" + keyword + "\" from " + was + " to " + is);
        } else {
            compatible(at(now) + "/" + keyword, keyword + "-raised", is == null ? "removes \"" + keyword + "\" " + was
                    : "raises \"" + keyword + "\" from " + was + " to " + is);
        }
    }

    /**
     * One numeric bound as written, and as compared: an integer's exclusive bound is the inclusive one next to it,
     * so {@code "exclusiveMinimum": 0} and {@code "minimum": 1} are the same bound for an integer.
     */
    private record Bound(String keyword, BigDecimal written, BigDecimal value, boolean exclusive) {

        /** The bound as written, in words: {@code at least 1}, {@code more than 0}. */
        String words(boolean lower) {
            boolean strict = keyword.startsWith("exclusive");
            return (lower ? strict ? "more than " : "at least " : strict ? "less than " : "at most ")
                    + written.toPlainString();
        }
    }

    /** The lower or upper bound of a number: the tighter of the inclusive and exclusive one, or null for none. */
    private static @Nullable Bound bound(ObjectNode schema, boolean lower) {
        boolean integer = baseType(schema).equals("integer");
        Bound tightest = null;
        for (String keyword : lower ? List.of("minimum", "exclusiveMinimum") : List.of("maximum", "exclusiveMaximum")) {
            if (!schema.has(keyword)) {
                continue;
            }
            BigDecimal written = schema.get(keyword).decimalValue();
            boolean exclusive = keyword.startsWith("exclusive");
            BigDecimal value = written;
            if (integer && exclusive) {
                value = lower ? written.add(BigDecimal.ONE) : written.subtract(BigDecimal.ONE);
                exclusive = false;
            }
            Bound bound = new Bound(keyword, written, value, exclusive);
            if (tightest == null || looseness(bound, tightest, lower) < 0) {
                tightest = bound;
            }
        }
        return tightest;
    }

    /** Negative if {@code a} lets fewer values through than {@code b}, positive if more, 0 if the same. */
    private static int looseness(Bound a, Bound b, boolean lower) {
        int byValue = a.value().compareTo(b.value());
        if (byValue != 0) {
            return lower ? -byValue : byValue;
        }
        return Boolean.compare(b.exclusive(), a.exclusive());
    }

    private void bound(ObjectNode old, ObjectNode now, boolean lower) {
        Bound was = bound(old, lower);
        Bound is = bound(now, lower);
        String which = lower ? "lower bound" : "upper bound";
        String tightened = lower ? "minimum-raised" : "maximum-lowered";
        String loosened = lower ? "minimum-lowered" : "maximum-raised";
        if (was == null && is == null) {
            return;
        }
        if (was == null) {
            breaking(at(now) + "/" + is.keyword(), tightened, "adds the " + which + " " + is.words(lower));
            return;
        }
        if (is == null) {
            compatible(at(now) + "/" + was.keyword(), loosened, "removes the " + which + " " + was.words(lower));
            return;
        }
        int looseness = looseness(is, was, lower);
        String detail = " the " + which + " from " + was.words(lower) + " to " + is.words(lower);
        if (looseness < 0) {
            breaking(at(now) + "/" + is.keyword(), tightened, (lower ? "raises" : "lowers") + detail);
        } else if (looseness > 0) {
            compatible(at(now) + "/" + is.keyword(), loosened, (lower ? "lowers" : "raises") + detail);
        }
    }

    /** {@code enum} and {@code const}: the values allowed may grow, never shrink. */
    private void values(ObjectNode old, ObjectNode now) {
        List<JsonNode> was = allowed(old);
        List<JsonNode> is = allowed(now);
        String keyword = now.has("const") ? "const" : "enum";
        if (was == null && is == null) {
            return;
        }
        if (was == null) {
            breaking(at(now) + "/" + keyword, keyword + "-added", "adds \"" + keyword + "\", allowing only "
                    + listed(is));
            return;
        }
        String oldKeyword = old.has("const") ? "const" : "enum";
        if (is == null) {
            compatible(at(now) + "/" + oldKeyword, oldKeyword + "-removed", "removes \"" + oldKeyword + "\" "
                    + listed(was));
            return;
        }
        Set<JsonNode> allowedNow = is.stream().map(Compatibility::comparable).collect(Collectors.toSet());
        Set<JsonNode> allowedBefore = was.stream().map(Compatibility::comparable).collect(Collectors.toSet());
        List<JsonNode> removed = was.stream().filter(value -> !allowedNow.contains(comparable(value))).toList();
        List<JsonNode> added = is.stream().filter(value -> !allowedBefore.contains(comparable(value))).toList();
        if (!removed.isEmpty()) {
            if (keyword.equals("const") && oldKeyword.equals("const")) {
                breaking(at(now) + "/const", "const-changed", "changes \"const\" from " + listed(was) + " to "
                        + listed(is));
            } else {
                breaking(at(now) + "/" + keyword, "enum-value-removed", "removes the enum value"
                        + (removed.size() == 1 ? " " : "s ") + listed(removed));
            }
        } else if (!added.isEmpty()) {
            compatible(at(now) + "/" + keyword, "enum-value-added", "adds the enum value"
                    + (added.size() == 1 ? " " : "s ") + listed(added));
        }
    }

    private static @Nullable List<JsonNode> allowed(ObjectNode schema) {
        if (schema.has("enum")) {
            List<JsonNode> values = new ArrayList<>();
            schema.get("enum").forEach(values::add);
            return values;
        }
        return schema.has("const") ? List.of(schema.get("const")) : null;
    }

    /** Numbers compare by value, so that 1 and 1.0 are the same value. */
    private static JsonNode comparable(JsonNode value) {
        return value.isNumber() ? JsonNodeFactory.instance.numberNode(value.decimalValue().stripTrailingZeros())
                : value;
    }

    private static String listed(List<JsonNode> values) {
        return values.stream().map(JsonNode::toString).collect(Collectors.joining(", "));
    }

    private void annotations(ObjectNode old, ObjectNode now) {
        for (String keyword : ANNOTATIONS) {
            JsonNode was = old.get(keyword);
            JsonNode is = now.get(keyword);
            if (!Objects.equals(was, is)) {
                compatible(at(now) + "/" + keyword, "annotation-changed", (was == null ? "adds \""
                        : is == null ? "removes \"" : "changes \"") + keyword + "\"");
            }
        }
    }

    private String at(JsonNode node) {
        return current.pointerOf(node);
    }

    private static String baseType(JsonNode schema) {
        JsonNode type = schema.get("type");
        return type.isArray() ? type.get(0).asText() : type.asText();
    }

    private static Set<String> names(JsonNode array) {
        Set<String> names = new HashSet<>();
        array.forEach(name -> names.add(name.asText()));
        return names;
    }

    private static @Nullable String text(ObjectNode schema, String keyword) {
        return schema.has(keyword) ? schema.get(keyword).asText() : null;
    }

    private static String article(String type) {
        return (type.startsWith("a") || type.startsWith("i") || type.startsWith("o") ? "an " : "a ") + type;
    }

    private void breaking(String pointer, String rule, String detail) {
        changes.add(new Change(pointer, rule, detail, true));
    }

    private void compatible(String pointer, String rule, String detail) {
        changes.add(new Change(pointer, rule, detail, false));
    }
}
