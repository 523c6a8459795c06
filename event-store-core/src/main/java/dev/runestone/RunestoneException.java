package dev.runestone;

/** The root of every exception Runestone throws on purpose. Unchecked. */
public class RunestoneException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RunestoneException(String message) {
        super(message);
    }

    public RunestoneException(String message, Throwable cause) {
        super(message, cause);
    }
}
