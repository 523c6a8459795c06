package dev.runestone.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.runestone.codegen.ValueModel.BooleanModel;
import dev.runestone.codegen.ValueModel.Bound;
import dev.runestone.codegen.ValueModel.EnumModel;
import dev.runestone.codegen.ValueModel.ListModel;
import dev.runestone.codegen.ValueModel.NumberModel;
import dev.runestone.codegen.ValueModel.ObjectModel;
import dev.runestone.codegen.ValueModel.PropertyModel;
import dev.runestone.codegen.ValueModel.StringModel;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;
import org.jspecify.annotations.Nullable;

/**
 * Writes the checks that keep an event that breaks its schema from being constructed: the event record's constructor
 * collects every broken rule, nested records and list elements included, and throws them all at once. A nested record
 * with rules gets a private {@code check} method, which the record holding it calls with the path it is found at.
 *
 * <p>One instance per event record. A record's checks call the {@code check} method of a nested record only if that
 * record's checks were written through the same instance before, so write nested records first.
 */
final class CheckEmitter {

    private static final ClassName PATTERN = ClassName.get("java.util.regex", "Pattern");
    private static final ClassName VALIDATION_EXCEPTION = ClassName.get("dev.runestone", "EventValidationException");
    /** Named as if it were top-level so that it is imported as {@code EventValidationException.Violation}. */
    private static final ClassName VIOLATION = ClassName.get("dev.runestone.EventValidationException", "Violation");
    private static final TypeName VIOLATIONS = ParameterizedTypeName.get(ClassName.get(List.class), VIOLATION);

    /** Good enough to catch typos; the only real test of an address is to send it a message. */
    private static final String EMAIL_REGEX = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+";

    /** The nested records that have a {@code check} method. */
    private final Set<ClassName> checked = new HashSet<>();

    /**
     * Starts the checks of one record.
     *
     * @param memberNames the names of the record's components and constants, which no pattern constant may take
     */
    RecordChecks forRecord(List<String> memberNames) {
        return new RecordChecks(memberNames);
    }

    /** The checks of one record, in the order they were added, and the compiled patterns they use. */
    final class RecordChecks {

        private final Members members;
        private final CodeBlock.Builder code = CodeBlock.builder();

        private RecordChecks(List<String> memberNames) {
            this.members = new Members(memberNames);
        }

        /** Checks the event's {@code data} or {@code meta} component. */
        void addEventPart(String part, ValueModel model) {
            boolean nullable = model.nullable();
            code.add(check(model, nullable, isPrimitive(model, nullable), CodeBlock.of("$N", part), PathExpr.of(part),
                    members, 0));
        }

        /** Checks a nested record's component, whose path is the one its {@code check} method is given. */
        void addProperty(PropertyModel property) {
            boolean nullable = property.javaNullable();
            code.add(check(property.value(), nullable, isPrimitive(property.value(), nullable),
                    CodeBlock.of("$N()", property.javaName()),
                    PathExpr.variable("path").plus("." + property.jsonName()), members, 0));
        }

        boolean isEmpty() {
            return code.isEmpty();
        }

        /** The compiled patterns, as static fields for the record. */
        List<FieldSpec> patterns() {
            return members.fields;
        }

        /** Makes the event's compact constructor throw if any rule is broken; adds nothing if there are no rules. */
        void addTo(MethodSpec.Builder constructor, String eventType) {
            if (isEmpty()) {
                return;
            }
            constructor.addJavadoc("Checks every rule of {@code $L}.\n\n@throws $T listing every broken rule\n",
                            SourceEmitter.javadocText(eventType), VALIDATION_EXCEPTION)
                    .addStatement("$T violations = new $T<>()", VIOLATIONS, ArrayList.class)
                    .addCode(code.build())
                    .beginControlFlow("if (!violations.isEmpty())")
                    .addStatement("throw new $T(TYPE, violations)", VALIDATION_EXCEPTION)
                    .endControlFlow();
        }

        /** Gives a nested record its {@code check} method, if it has rules, for the records holding it to call. */
        void addCheckMethodTo(TypeSpec.Builder nestedRecord, ClassName className) {
            if (isEmpty()) {
                return;
            }
            nestedRecord.addMethod(MethodSpec.methodBuilder("check")
                    .addModifiers(Modifier.PRIVATE)
                    .addJavadoc("Adds the rules this value breaks, found at {@code path}, to {@code violations}.\n")
                    .addParameter(String.class, "path")
                    .addParameter(VIOLATIONS, "violations")
                    .addCode(code.build())
                    .build());
            checked.add(className);
        }
    }

    /**
     * The checks of one value.
     *
     * @param nullable  whether the Java value may be null
     * @param primitive whether the Java value is a primitive, so it cannot be null
     * @param value     an expression for the value
     * @param path      an expression for the value's path, for violations
     * @param depth     how many loops deep the value is
     */
    private CodeBlock check(ValueModel model, boolean nullable, boolean primitive, CodeBlock value,
            PathExpr path, Members members, int depth) {
        List<Check> checks = checksOf(model, value, path, members, depth);
        CodeBlock.Builder code = CodeBlock.builder();
        if (primitive) {
            checks.forEach(check -> check.addTo(code, path));
        } else if (nullable) {
            if (checks.size() == 1 && checks.get(0) instanceof Check.Rule rule) {
                code.beginControlFlow("if ($L != null && $L)", value, rule.condition())
                        .addStatement(violation(path, rule.rule(), rule.message()))
                        .endControlFlow();
            } else if (!checks.isEmpty()) {
                code.beginControlFlow("if ($L != null)", value);
                checks.forEach(check -> check.addTo(code, path));
                code.endControlFlow();
            }
        } else {
            code.beginControlFlow("if ($L == null)", value)
                    .addStatement(violation(path, "required", "must not be null"));
            if (checks.size() == 1 && checks.get(0) instanceof Check.Rule rule) {
                code.nextControlFlow("else if ($L)", rule.condition())
                        .addStatement(violation(path, rule.rule(), rule.message()));
            } else if (!checks.isEmpty()) {
                code.nextControlFlow("else");
                checks.forEach(check -> check.addTo(code, path));
            }
            code.endControlFlow();
        }
        return code.build();
    }

    private List<Check> checksOf(ValueModel model, CodeBlock value, PathExpr path, Members members, int depth) {
        List<Check> checks = new ArrayList<>();
        switch (model) {
            case ObjectModel object -> {
                if (checked.contains(object.className())) {
                    checks.add(new Check.Code(CodeBlock.builder()
                            .addStatement("$L.check($L, violations)", value, path.code()).build()));
                }
            }
            case EnumModel ignored -> {
            }
            case StringModel string -> stringChecks(string, value, path, members, checks);
            case NumberModel number -> numberChecks(number, value, checks);
            case BooleanModel bool -> {
                if (bool.constant() != null) {
                    checks.add(new Check.Rule(CodeBlock.of(bool.constant() ? "!$L" : "$L", value), "const",
                            "must be " + bool.constant()));
                }
            }
            case ListModel list -> {
                if (list.minItems() != null) {
                    checks.add(new Check.Rule(CodeBlock.of("$L.size() < $L", value, list.minItems()), "minItems",
                            "must have at least " + count(list.minItems(), "item")));
                }
                if (list.maxItems() != null) {
                    checks.add(new Check.Rule(CodeBlock.of("$L.size() > $L", value, list.maxItems()), "maxItems",
                            "must have at most " + count(list.maxItems(), "item")));
                }
                String index = String.valueOf("ijklmn".charAt(Math.min(depth, 5)));
                String item = depth == 0 ? "item" : "item" + (depth + 1);
                CodeBlock itemChecks = check(list.items(), list.items().nullable(), false, CodeBlock.of("$N", item),
                        path.plus("[").plusVariable(index).plus("]"), members, depth + 1);
                if (!itemChecks.isEmpty()) {
                    checks.add(new Check.Code(CodeBlock.builder()
                            .beginControlFlow("for (int $N = 0; $N < $L.size(); $N++)", index, index, value, index)
                            .addStatement("$T $N = $L.get($N)", SourceEmitter.typeName(list.items(), false, false),
                                    item, value, index)
                            .add(itemChecks)
                            .endControlFlow()
                            .build()));
                }
            }
        }
        return checks;
    }

    private void stringChecks(StringModel string, CodeBlock value, PathExpr path, Members members,
            List<Check> checks) {
        if ("email".equals(string.format())) {
            checks.add(new Check.Rule(CodeBlock.of("!$N.matcher($L).matches()", members.email(), value), "format",
                    "must be an email address"));
        } else if ("uri".equals(string.format())) {
            checks.add(new Check.Rule(CodeBlock.of("!$L.isAbsolute()", value), "format",
                    "must be an absolute URI"));
        }
        if (string.minLength() != null) {
            checks.add(new Check.Rule(CodeBlock.of("$L.codePointCount(0, $L.length()) < $L", value, value,
                    string.minLength()), "minLength", "must be at least " + count(string.minLength(), "character")
                    + " long"));
        }
        if (string.maxLength() != null) {
            checks.add(new Check.Rule(CodeBlock.of("$L.codePointCount(0, $L.length()) > $L", value, value,
                    string.maxLength()), "maxLength", "must be at most " + count(string.maxLength(), "character")
                    + " long"));
        }
        if (string.pattern() != null) {
            String constant = members.pattern(path.constantName(), string.pattern());
            checks.add(new Check.Rule(CodeBlock.of("!$N.matcher($L).find()", constant, value), "pattern",
                    "must match " + string.pattern()));
        }
        if (string.constant() != null) {
            checks.add(new Check.Rule(CodeBlock.of("!$S.equals($L)", string.constant(), value), "const",
                    "must be \"" + string.constant() + "\""));
        }
    }

    private void numberChecks(NumberModel number, CodeBlock value, List<Check> checks) {
        for (Bound bound : number.bounds()) {
            String operator = switch (bound.keyword()) {
                case "minimum" -> "<";
                case "exclusiveMinimum" -> "<=";
                case "maximum" -> ">";
                case "exclusiveMaximum" -> ">=";
                default -> throw new IllegalStateException(bound.keyword());
            };
            String message = switch (bound.keyword()) {
                case "minimum" -> "must be at least ";
                case "exclusiveMinimum" -> "must be greater than ";
                case "maximum" -> "must be at most ";
                default -> "must be less than ";
            };
            checks.add(new Check.Rule(compare(number, value, operator, bound.value()), bound.keyword(),
                    message + bound.value().toPlainString()));
        }
        if (!number.allowed().isEmpty()) {
            CodeBlock condition = number.allowed().stream()
                    .map(allowed -> compare(number, value, "!=", allowed))
                    .collect(CodeBlock.joining(" && "));
            String values = number.allowed().stream().map(BigDecimal::toPlainString)
                    .collect(Collectors.joining(", "));
            checks.add(number.constant()
                    ? new Check.Rule(condition, "const", "must be " + values)
                    : new Check.Rule(condition, "enum", "must be one of " + values));
        }
    }

    private CodeBlock compare(NumberModel number, CodeBlock value, String operator, BigDecimal bound) {
        if (number.integer()) {
            long exact = bound.longValueExact();
            boolean fitsInt = exact >= Integer.MIN_VALUE && exact <= Integer.MAX_VALUE;
            return CodeBlock.of("$L $L $L", value, operator, fitsInt ? Long.toString(exact) : exact + "L");
        }
        return CodeBlock.of("$L.compareTo($L) $L 0", value, decimal(bound), operator);
    }

    private static CodeBlock decimal(BigDecimal value) {
        if (value.compareTo(BigDecimal.ZERO) == 0 && value.scale() <= 0) {
            return CodeBlock.of("$T.ZERO", BigDecimal.class);
        }
        if (value.equals(BigDecimal.ONE)) {
            return CodeBlock.of("$T.ONE", BigDecimal.class);
        }
        if (value.equals(BigDecimal.TEN)) {
            return CodeBlock.of("$T.TEN", BigDecimal.class);
        }
        return CodeBlock.of("new $T($S)", BigDecimal.class, value.toString());
    }

    /** One check: a rule with a condition that means it is broken, or code that checks something nested. */
    private sealed interface Check {

        void addTo(CodeBlock.Builder code, PathExpr path);

        record Rule(CodeBlock condition, String rule, String message) implements Check {

            @Override
            public void addTo(CodeBlock.Builder code, PathExpr path) {
                code.beginControlFlow("if ($L)", condition)
                        .addStatement(violation(path, rule, message))
                        .endControlFlow();
            }
        }

        record Code(CodeBlock code) implements Check {

            @Override
            public void addTo(CodeBlock.Builder builder, PathExpr path) {
                builder.add(code);
            }
        }
    }

    private static CodeBlock violation(PathExpr path, String rule, String message) {
        return CodeBlock.of("violations.add(new $T($L,$W$S,$W$S))", VIOLATION, path.code(), rule, message);
    }

    /** The static fields of one generated record: compiled patterns, named so as not to clash with its components. */
    private static final class Members {

        private final Set<String> taken = new HashSet<>();
        private final List<FieldSpec> fields = new ArrayList<>();
        private @Nullable String email;

        Members(List<String> componentNames) {
            taken.addAll(componentNames);
        }

        String email() {
            if (email == null) {
                email = allocate("EMAIL");
                fields.add(FieldSpec.builder(PATTERN, email, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("$T.compile($S)", PATTERN, EMAIL_REGEX)
                        .build());
            }
            return email;
        }

        String pattern(String baseName, String regex) {
            String name = allocate(baseName + "_PATTERN");
            fields.add(FieldSpec.builder(PATTERN, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("$T.compile($S)", PATTERN, regex)
                    .build());
            return name;
        }

        private String allocate(String name) {
            String candidate = name;
            for (int i = 2; !taken.add(candidate); i++) {
                candidate = name + i;
            }
            return candidate;
        }
    }

    private static boolean isPrimitive(ValueModel model, boolean nullable) {
        return !nullable && (model instanceof BooleanModel || model instanceof NumberModel number && number.integer());
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /**
     * An expression for a violation's path, built from string literals and variables, such as
     * {@code path + ".tags[" + i + "]"}.
     */
    private record PathExpr(List<Object> parts) {

        private record Variable(String name) {
        }

        static PathExpr of(String literal) {
            return new PathExpr(List.of(literal));
        }

        static PathExpr variable(String name) {
            return new PathExpr(List.of(new Variable(name)));
        }

        PathExpr plus(String literal) {
            List<Object> next = new ArrayList<>(parts);
            if (!next.isEmpty() && next.get(next.size() - 1) instanceof String last) {
                next.set(next.size() - 1, last + literal);
            } else {
                next.add(literal);
            }
            return new PathExpr(next);
        }

        PathExpr plusVariable(String name) {
            List<Object> next = new ArrayList<>(parts);
            next.add(new Variable(name));
            return new PathExpr(next);
        }

        CodeBlock code() {
            return parts.stream()
                    .map(part -> part instanceof Variable variable
                            ? CodeBlock.of("$N", variable.name())
                            : CodeBlock.of("$S", part))
                    .collect(CodeBlock.joining(" + "));
        }

        /** A constant name for a pattern checked at this path: {@code path + ".name.given"} gives {@code NAME_GIVEN}. */
        String constantName() {
            String words = parts.stream().filter(String.class::isInstance).map(String.class::cast)
                    .collect(Collectors.joining("."));
            String name = Names.constantName(words);
            return name.isEmpty() ? "VALUE" : name.startsWith("_") ? "VALUE" + name : name.toUpperCase(Locale.ROOT);
        }
    }
}
