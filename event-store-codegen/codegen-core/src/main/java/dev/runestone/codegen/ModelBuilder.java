package dev.runestone.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.palantir.javapoet.ClassName;
import dev.runestone.codegen.ValueModel.BooleanModel;
import dev.runestone.codegen.ValueModel.Bound;
import dev.runestone.codegen.ValueModel.EnumConstant;
import dev.runestone.codegen.ValueModel.EnumModel;
import dev.runestone.codegen.ValueModel.ListModel;
import dev.runestone.codegen.ValueModel.NumberModel;
import dev.runestone.codegen.ValueModel.ObjectModel;
import dev.runestone.codegen.ValueModel.PropertyModel;
import dev.runestone.codegen.ValueModel.StringModel;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a normalised event schema into the Java model: class and component names, Java types and rules. Reports
 * names that Java cannot use.
 */
final class ModelBuilder {

    private final String packageName;
    private final Set<String> topLevelNames;
    private final Problems problems;

    private NormalisedEvent event;
    /** Whether the event is an older version, whose record carries no {@code @Deprecated}. */
    private boolean older;
    /** The nested class names taken inside each generated class, by the class's canonical name. */
    private final Map<String, Map<String, String>> nestedNames = new HashMap<>();

    /**
     * @param topLevelNames the names of the generated interface and registry, which no nested class may take
     */
    ModelBuilder(String packageName, Set<String> topLevelNames, Problems problems) {
        this.packageName = packageName;
        this.topLevelNames = topLevelNames;
        this.problems = problems;
    }

    /** The event's model, or {@code null} if it has problems (which are collected). */
    @Nullable EventModel build(NormalisedEvent normalised) {
        return build(normalised, normalised.className(), false);
    }

    /**
     * The model of an older version of an event type, whose record is named {@code className}, or {@code null} if it
     * has problems (which are collected).
     */
    @Nullable EventModel buildOlder(NormalisedEvent normalised, String className) {
        return build(normalised, className, true);
    }

    private @Nullable EventModel build(NormalisedEvent normalised, String className, boolean older) {
        this.event = normalised;
        this.older = older;
        nestedNames.clear();
        int before = problems.size();
        ObjectNode schema = normalised.schema();
        if (!Names.isClassName(className)) {
            problem(normalised.source().pointer() + "/type", "the type \"" + normalised.type()
                    + "\" gives no usable class name (\"" + className + "\"); set \"x-java-type\" on the event");
            return null;
        }
        ClassName eventClass = ClassName.get(packageName, className);
        JsonNode properties = schema.get("properties");
        ValueModel data = properties.has("data")
                ? value((ObjectNode) properties.get("data"), eventClass, "Data") : null;
        ValueModel meta = properties.has("meta")
                ? value((ObjectNode) properties.get("meta"), eventClass, "Meta") : null;
        if (problems.size() != before) {
            return null;
        }
        // An older version is history that upcasters read: deprecating any of it would only warn in that code.
        return new EventModel(normalised.type(), normalised.version(), eventClass, text(schema, "description"),
                !older && flag(schema, "deprecated"), data, meta,
                data == null ? null : text((ObjectNode) properties.get("data"), "description"),
                meta == null ? null : text((ObjectNode) properties.get("meta"), "description"),
                normalised.source().file().name(), ConfigReader.write(schema), List.of());
    }

    /**
     * The model of one schema.
     *
     * @param owner     the class a nested class for this value is declared in
     * @param className the nested class's name, if the value needs one and the schema does not name it
     */
    private ValueModel value(ObjectNode schema, ClassName owner, String className) {
        boolean nullable = SchemaNormaliser.admitsNull(schema);
        String type = baseType(schema);
        return switch (type) {
            case "object" -> object(schema, nestedClass(schema, owner, className), nullable);
            case "array" -> {
                ObjectNode items = (ObjectNode) schema.get("items");
                yield new ListModel(value(items, owner, Names.elementClassName(className)),
                        integer(schema, "minItems"), integer(schema, "maxItems"), nullable);
            }
            case "string" -> schema.has("enum")
                    ? enumeration(schema, nestedClass(schema, owner, className), nullable)
                    : new StringModel(text(schema, "format"), integer(schema, "minLength"),
                            integer(schema, "maxLength"), text(schema, "pattern"), text(schema, "const"), nullable);
            case "integer", "number" -> number(schema, type.equals("integer"), nullable);
            case "boolean" -> new BooleanModel(schema.has("const") ? schema.get("const").asBoolean() : null,
                    nullable);
            default -> throw new IllegalStateException("normalised schemas have no type " + type);
        };
    }

    private ObjectModel object(ObjectNode schema, ClassName className, boolean nullable) {
        Set<String> required = new HashSet<>();
        schema.get("required").forEach(name -> required.add(name.asText()));
        List<PropertyModel> properties = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : schema.get("properties").properties()) {
            String jsonName = field.getKey();
            ObjectNode property = (ObjectNode) field.getValue();
            String javaName = property.has("x-java-name") ? property.get("x-java-name").asText() : jsonName;
            if (!Names.isUsableComponentName(javaName)) {
                continue; // reported by the normaliser
            }
            ValueModel value = value(property, className, Names.capitalise(javaName));
            properties.add(new PropertyModel(jsonName, javaName, value, required.contains(jsonName),
                    text(property, "description"), !older && flag(property, "deprecated")));
        }
        return new ObjectModel(className, text(schema, "description"), properties, nullable);
    }

    private EnumModel enumeration(ObjectNode schema, ClassName className, boolean nullable) {
        List<EnumConstant> constants = new ArrayList<>();
        for (JsonNode value : schema.get("enum")) {
            if (!value.isNull()) {
                constants.add(new EnumConstant(Names.constantName(value.asText()), value.asText()));
            }
        }
        return new EnumModel(className, text(schema, "description"), constants, nullable);
    }

    private NumberModel number(ObjectNode schema, boolean integer, boolean nullable) {
        List<Bound> bounds = new ArrayList<>();
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.endsWith("inimum") || name.endsWith("aximum")) {
                bounds.add(new Bound(name, schema.get(name).decimalValue()));
            }
        }
        List<BigDecimal> allowed = new ArrayList<>();
        if (schema.has("enum")) {
            schema.get("enum").forEach(value -> {
                if (!value.isNull()) {
                    allowed.add(value.decimalValue());
                }
            });
        } else if (schema.has("const")) {
            allowed.add(schema.get("const").decimalValue());
        }
        if (integer) {
            for (BigDecimal value : allowed) {
                try {
                    value.longValueExact();
                } catch (ArithmeticException e) {
                    problem(pointerOf(schema), value.toPlainString() + " does not fit a Java long");
                }
            }
            for (Bound bound : bounds) {
                try {
                    bound.value().longValueExact();
                } catch (ArithmeticException e) {
                    problem(pointerOf(schema) + "/" + bound.keyword(), bound.value().toPlainString()
                            + " does not fit a Java long");
                }
            }
        }
        return new NumberModel(integer, bounds, allowed, schema.has("const"), nullable);
    }

    /** The class for an object or enum, nested in {@code owner}, named by the schema or else {@code name}. */
    private ClassName nestedClass(ObjectNode schema, ClassName owner, String name) {
        boolean named = schema.has("x-java-type");
        String simpleName = named ? schema.get("x-java-type").asText() : name;
        ClassName className = owner.nestedClass(simpleName);
        String hint = named ? "choose another \"x-java-type\"" : "name it with \"x-java-type\"";
        if (owner.simpleNames().contains(simpleName)) {
            problem(pointerOf(schema), "its class would be named " + simpleName + ", like a class it is nested in; "
                    + hint);
        } else if (Names.RESERVED.contains(simpleName) || topLevelNames.contains(simpleName)) {
            problem(pointerOf(schema), "its class would be named " + simpleName + ", which would hide a type the "
                    + "generated code uses; " + hint);
        } else {
            String taken = nestedNames.computeIfAbsent(owner.canonicalName(), key -> new HashMap<>())
                    .putIfAbsent(simpleName, pointerOf(schema));
            if (taken != null) {
                problem(pointerOf(schema), "its class would be named " + owner.simpleName() + "." + simpleName
                        + ", which the schema at " + taken + " already takes; " + hint);
            }
        }
        return className;
    }

    private static String baseType(ObjectNode schema) {
        JsonNode type = schema.get("type");
        return type.isArray() ? type.get(0).asText() : type.asText();
    }

    private static @Nullable String text(ObjectNode schema, String keyword) {
        JsonNode node = schema.get(keyword);
        return node == null ? null : node.asText();
    }

    private static @Nullable Integer integer(ObjectNode schema, String keyword) {
        JsonNode node = schema.get(keyword);
        return node == null ? null : node.intValue();
    }

    private static boolean flag(ObjectNode schema, String keyword) {
        JsonNode node = schema.get(keyword);
        return node != null && node.asBoolean();
    }

    private String pointerOf(JsonNode schema) {
        return event.pointerOf(schema);
    }

    private void problem(String pointer, String message) {
        problems.add(event.source().file().path(), pointer, message);
    }
}
