package dev.runestone;

/**
 * A stored event or snapshot could not be turned back into Java objects, usually because its JSON no longer
 * matches the record it is read into.
 */
public final class EventDecodingException extends RunestoneException {

    private static final long serialVersionUID = 1L;

    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
