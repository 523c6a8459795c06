package dev.runestone.codegen;

import com.palantir.javapoet.ClassName;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The Java shape of one schema: what type a value gets and which rules it must pass. */
sealed interface ValueModel {

    /** Whether the schema admits {@code null}. */
    boolean nullable();

    /**
     * An object: a nested record.
     *
     * @param className   the record's class
     * @param description the schema's description, for the record's javadoc
     * @param properties  the record's components, in the order written
     */
    record ObjectModel(ClassName className, @Nullable String description, List<PropertyModel> properties,
            boolean nullable) implements ValueModel {
    }

    /**
     * A string with a fixed set of values: a Java enum.
     *
     * @param className   the enum's class
     * @param description the schema's description, for the enum's javadoc
     * @param constants   the enum's constants, in the order written
     */
    record EnumModel(ClassName className, @Nullable String description, List<EnumConstant> constants,
            boolean nullable) implements ValueModel {
    }

    /**
     * One enum constant.
     *
     * @param name  the Java constant, e.g. {@code READ_ONLY}
     * @param value the value in JSON, e.g. {@code read-only}
     */
    record EnumConstant(String name, String value) {
    }

    /**
     * A string: {@code String}, or the Java type its format maps to.
     *
     * @param format    the format, one of {@link SchemaNormaliser#FORMATS}, or {@code null}
     * @param minLength at least this many code points
     * @param maxLength at most this many code points
     * @param pattern   a regular expression that must match somewhere in the value
     * @param constant  the only value allowed
     */
    record StringModel(@Nullable String format, @Nullable Integer minLength, @Nullable Integer maxLength,
            @Nullable String pattern, @Nullable String constant, boolean nullable) implements ValueModel {
    }

    /**
     * An integer ({@code long}) or a number ({@code BigDecimal}).
     *
     * @param integer  whether it is an integer
     * @param bounds   minimum, maximum and the exclusive ones, in the order written
     * @param allowed  the values of {@code enum} or {@code const}; empty when any value is allowed
     * @param constant whether {@code allowed} comes from {@code const}
     */
    record NumberModel(boolean integer, List<Bound> bounds, List<BigDecimal> allowed, boolean constant,
            boolean nullable)
            implements ValueModel {
    }

    /**
     * One numeric bound.
     *
     * @param keyword {@code minimum}, {@code maximum}, {@code exclusiveMinimum} or {@code exclusiveMaximum}
     * @param value   the bound
     */
    record Bound(String keyword, BigDecimal value) {
    }

    /**
     * A boolean.
     *
     * @param constant the only value allowed, or {@code null}
     */
    record BooleanModel(@Nullable Boolean constant, boolean nullable) implements ValueModel {
    }

    /**
     * An array: an immutable {@code List}.
     *
     * @param items    the elements
     * @param minItems at least this many elements
     * @param maxItems at most this many elements
     */
    record ListModel(ValueModel items, @Nullable Integer minItems, @Nullable Integer maxItems, boolean nullable)
            implements ValueModel {
    }

    /**
     * One property of an object: a record component.
     *
     * @param jsonName    its name in JSON
     * @param javaName    its name in Java
     * @param value       its schema
     * @param required    whether it must be present
     * @param description the schema's description, for the javadoc
     * @param deprecated  whether the schema is deprecated
     */
    record PropertyModel(String jsonName, String javaName, ValueModel value, boolean required,
            @Nullable String description, boolean deprecated) {

        /** Whether the Java component may be {@code null}: the property is optional or admits null. */
        boolean javaNullable() {
            return !required || value.nullable();
        }
    }
}
