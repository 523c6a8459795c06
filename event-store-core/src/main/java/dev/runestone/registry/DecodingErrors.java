package dev.runestone.registry;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.runestone.EventValidationException.Violation;
import dev.runestone.internal.WellFormedText;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Turns what Jackson throws while reading stored JSON into a {@link Violation}: the dotted path of the value, the
 * rule it broke and what is wrong, in the words of the JSON rather than of Java classes.
 */
final class DecodingErrors {

    /** A rule the strict readers check themselves, carried through Jackson, which adds the path on the way out. */
    static final class RuleBroken extends MismatchedInputException {
        private static final long serialVersionUID = 1L;

        final String rule;
        final String text;

        RuleBroken(JsonParser parser, String rule, String text) {
            super(parser, text);
            this.rule = rule;
            this.text = text;
        }
    }

    private static final int LONGEST_VALUE = 40;

    private DecodingErrors() {
    }

    static RuleBroken rule(JsonParser parser, String rule, String message) {
        return new RuleBroken(parser, rule, message);
    }

    static RuleBroken typeMismatch(JsonParser parser, Class<?> target, String expected) {
        return new RuleBroken(parser, "type", "must be " + expected + ", not " + found(parser));
    }

    /** The violation {@code error}, thrown while reading the {@code root} part of an event, stands for. */
    static Violation violation(String root, JsonProcessingException error) {
        String path = pathOf(root, error);
        if (error instanceof RuleBroken broken) {
            return new Violation(path, broken.rule, broken.text);
        }
        if (error instanceof UnrecognizedPropertyException) {
            return new Violation(path, "additionalProperties", "is not a property the event has");
        }
        if (error instanceof ValueInstantiationException instantiation) {
            Throwable cause = instantiation.getCause() != null ? instantiation.getCause() : instantiation;
            return new Violation(path, "constructor", "is refused by its record: " + cause.getMessage());
        }
        String original = String.valueOf(error.getOriginalMessage());
        if (error instanceof MismatchedInputException && original.startsWith("Missing required creator property")) {
            return new Violation(path, "required", "is missing");
        }
        StreamConstraintsException limit = constraint(error);
        if (limit != null) {
            return new Violation(path, limitRule(limit), limit.getOriginalMessage());
        }
        if (error instanceof MismatchedInputException mismatch) {
            return mismatch(path, mismatch);
        }
        if (error instanceof JsonParseException || error.getCause() instanceof JsonParseException) {
            boolean duplicate = original.contains("Duplicate field");
            return new Violation(path, duplicate ? "uniqueProperties" : "json", duplicate
                    ? "holds the same property twice"
                    : "is not well-formed JSON: " + original);
        }
        return new Violation(path, "json", original);
    }

    private static Violation mismatch(String path, MismatchedInputException mismatch) {
        Class<?> target = mismatch.getTargetType();
        JsonToken token = currentToken(mismatch);
        if (token == JsonToken.VALUE_STRING && target != null && target.isEnum()) {
            return new Violation(path, "enum", "is " + found(mismatch) + ", not one of its values");
        }
        if (token == JsonToken.VALUE_STRING && target != null && fromString(target)) {
            return new Violation(path, "format", "is " + found(mismatch) + ", not a " + target.getSimpleName());
        }
        return new Violation(path, "type", "must be " + expected(target) + ", not " + found(mismatch));
    }

    private static @Nullable StreamConstraintsException constraint(Throwable error) {
        for (Throwable at = error; at != null; at = at.getCause()) {
            if (at instanceof StreamConstraintsException limit) {
                return limit;
            }
        }
        return null;
    }

    private static String limitRule(StreamConstraintsException limit) {
        String message = String.valueOf(limit.getMessage());
        if (message.contains("getMaxNestingDepth")) {
            return "maxNestingDepth";
        }
        if (message.contains("getMaxNumberLength")) {
            return "maxNumberLength";
        }
        if (message.contains("getMaxNameLength")) {
            return "maxNameLength";
        }
        if (message.contains("getMaxStringLength")) {
            return "maxStringLength";
        }
        return "limit";
    }

    private static String pathOf(String root, JsonProcessingException error) {
        if (error instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder(root);
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                if (reference.getFieldName() != null) {
                    path.append('.').append(JsonPaths.shorten(reference.getFieldName()));
                } else if (reference.getIndex() >= 0) {
                    path.append('[').append(reference.getIndex()).append(']');
                }
            }
            return path.toString();
        }
        if (error.getProcessor() instanceof JsonParser parser) {
            return JsonPaths.of(root, parser.getParsingContext());
        }
        return root;
    }

    private static @Nullable JsonToken currentToken(JsonProcessingException error) {
        return error.getProcessor() instanceof JsonParser parser ? parser.currentToken() : null;
    }

    private static String found(JsonProcessingException error) {
        return error.getProcessor() instanceof JsonParser parser ? found(parser) : "what is stored";
    }

    private static String found(JsonParser parser) {
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT, END_OBJECT -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> parser.currentToken().asString();
            case VALUE_STRING -> "the string '" + excerpt(parser) + "'";
            case VALUE_NUMBER_INT -> "the integer " + excerpt(parser);
            case VALUE_NUMBER_FLOAT -> "the number " + excerpt(parser);
            default -> token.name().toLowerCase();
        };
    }

    private static String excerpt(JsonParser parser) {
        try {
            String text = WellFormedText.printable(parser.getText());
            return text.length() <= LONGEST_VALUE ? text : text.substring(0, LONGEST_VALUE) + "…";
        } catch (IOException e) {
            return "?";
        }
    }

    private static boolean fromString(Class<?> type) {
        return TemporalAccessor.class.isAssignableFrom(type) || type == UUID.class || type == URI.class;
    }

    private static String expected(@Nullable Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class
                || type.isEnum() || fromString(type)) {
            return "a string";
        }
        if (type == long.class || type == int.class || type == short.class || type == byte.class
                || type == Long.class || type == Integer.class || type == Short.class || type == Byte.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (type == BigDecimal.class || type == double.class || type == float.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
