package dev.runestone;

/** The event store, or the adapter under it, was used after {@code close()}. */
public final class StoreClosedException extends RunestoneException {

    private static final long serialVersionUID = 1L;

    public StoreClosedException(String message) {
        super(message);
    }
}
