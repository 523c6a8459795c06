package dev.runestone.codegen;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One difference between the configs and the lock file that the lock takes in: a new event type or version, a
 * compatible change to the schema of the latest version, a type retired.
 *
 * @param file    the config the change is in, as it was given to the generator
 * @param pointer where in the file, as a JSON pointer; for something removed, where it was
 * @param message what changed, with the type, the version and the rule, e.g.
 *                {@code "user:created" version 1 [optional-property-added]: adds the optional property "nickname"}
 */
public record LockChange(Path file, String pointer, String message) {

    public LockChange {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }

    /** The change as one line, with {@code file} shown as given: {@code file#pointer: message}. */
    @Override
    public String toString() {
        return format(file.toString());
    }

    /** The change as one line, with the file shown as {@code fileName}: {@code fileName#pointer: message}. */
    public String format(String fileName) {
        return pointer.isEmpty() ? fileName + ": " + message : fileName + "#" + pointer + ": " + message;
    }
}
