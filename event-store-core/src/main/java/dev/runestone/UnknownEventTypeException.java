package dev.runestone;

/** An event type string or Java class that the store's event registry does not know. */
public final class UnknownEventTypeException extends RunestoneException {

    private static final long serialVersionUID = 1L;

    public UnknownEventTypeException(String message) {
        super(message);
    }
}
