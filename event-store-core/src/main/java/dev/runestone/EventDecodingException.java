package dev.runestone;

import dev.runestone.EventValidationException.Violation;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A stored event or snapshot could not be turned back into Java objects: its type is not registered, its JSON is
 * broken or over the registry's limits, or it does not fit the record it is read into.
 *
 * <p>{@link #violations()} says where and why, as {@link EventValidationException} does for an event being written:
 * each names the JSON path ({@code data.name.familys}), the rule ({@code additionalProperties}, {@code type},
 * {@code required}, {@code maxNumberLength}, …) and what is wrong.
 */
public class EventDecodingException extends RunestoneException {

    private static final long serialVersionUID = 1L;

    private final List<Violation> violations;

    public EventDecodingException(String message, Throwable cause) {
        this(message, List.of(), cause);
    }

    public EventDecodingException(String message, List<Violation> violations, @Nullable Throwable cause) {
        super(message, cause);
        this.violations = List.copyOf(violations);
    }

    /** Every rule the stored JSON broke, as far as reading got; empty when the failure has no place in the JSON. */
    public List<Violation> violations() {
        return violations;
    }
}
