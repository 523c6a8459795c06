package dev.runestone;

/**
 * The database failed (connection lost, disk full, locked file, …). An append that throws this wrote nothing.
 */
public class StorageException extends RunestoneException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
