package dev.runestone;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An event broke its type's schema; it was not written.
 *
 * <p>The message names the event type and, for each broken rule, the field path and the rule, e.g.
 * {@code user:created is invalid: data.email: must be an email address (format)}.
 */
public final class EventValidationException extends RunestoneException {

    private static final long serialVersionUID = 1L;

    private final String type;
    private final List<Violation> violations;

    public EventValidationException(String type, List<Violation> violations) {
        super(type + " is invalid: " + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.type = type;
        this.violations = List.copyOf(violations);
    }

    /** The event type whose schema was broken. */
    public String type() {
        return type;
    }

    /** Every broken rule, in the order found. */
    public List<Violation> violations() {
        return violations;
    }

    /**
     * One broken rule.
     *
     * @param path    where, as a dotted path from the event, e.g. {@code data.name.given}
     * @param rule    the rule's name, e.g. {@code required}, {@code format}, {@code maxLength}
     * @param message what is wrong, e.g. {@code must not be null}
     */
    public record Violation(String path, String rule, String message) {

        @Override
        public String toString() {
            return path + ": " + message + " (" + rule + ")";
        }
    }
}
