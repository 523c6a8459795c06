package dev.runestone.testkit.events;

import dev.runestone.EventValidationException;
import dev.runestone.EventValidationException.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Collects the broken rules of one event while its compact constructor runs, then throws them all at once, the way
 * generated records report every violation rather than the first.
 */
final class Rules {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final String type;
    private final List<Violation> violations = new ArrayList<>();

    private Rules(String type) {
        this.type = type;
    }

    static Rules of(String type) {
        return new Rules(type);
    }

    /** Tells whether {@code text} looks like an email address. */
    static boolean isEmail(String text) {
        return EMAIL.matcher(text).matches();
    }

    /** Requires a value; returns whether it is present, so nested checks can be skipped when it is not. */
    boolean required(String path, @Nullable Object value) {
        if (value == null) {
            violations.add(new Violation(path, "required", "must be present"));
            return false;
        }
        return true;
    }

    /** Requires a string with at least one non-blank character. */
    boolean requiredText(String path, @Nullable String value) {
        if (value == null || value.isBlank()) {
            violations.add(new Violation(path, "required", "must not be blank"));
            return false;
        }
        return true;
    }

    /** Requires a string to be an email address, when it is present. */
    void email(String path, @Nullable String value) {
        if (value != null && !isEmail(value)) {
            violations.add(new Violation(path, "format", "must be an email address"));
        }
    }

    /** Limits a string's length, when it is present. */
    void maxLength(String path, @Nullable String value, int max) {
        if (value != null && value.length() > max) {
            violations.add(new Violation(path, "maxLength", "must be at most " + max + " characters"));
        }
    }

    /** Throws every collected violation, if there is any. */
    void check() {
        if (!violations.isEmpty()) {
            throw new EventValidationException(type, violations);
        }
    }
}
