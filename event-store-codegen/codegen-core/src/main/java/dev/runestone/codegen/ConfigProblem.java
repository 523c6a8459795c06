package dev.runestone.codegen;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing wrong in an event config.
 *
 * @param file    the config file, as it was given to the generator
 * @param pointer where in the file, as a JSON pointer ({@code /event/data/name/type}); empty for the whole file
 * @param message what is wrong, and where possible what to do instead
 */
public record ConfigProblem(Path file, String pointer, String message) {

    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }

    /** The problem as one line, with {@code file} shown as given: {@code file#pointer: message}. */
    @Override
    public String toString() {
        return format(file.toString());
    }

    /**
     * The problem as one line, with the file shown as {@code fileName}: {@code fileName#pointer: message}. Build tools
     * use it to show paths relative to the project.
     */
    public String format(String fileName) {
        return pointer.isEmpty() ? fileName + ": " + message : fileName + "#" + pointer + ": " + message;
    }
}
