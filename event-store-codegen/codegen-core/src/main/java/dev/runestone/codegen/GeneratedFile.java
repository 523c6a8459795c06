package dev.runestone.codegen;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One generated Java source file.
 *
 * @param qualifiedName the fully qualified name of its top-level type, e.g. {@code com.example.events.UserCreated}
 * @param content       the Java source; the same configs always give the same bytes
 */
public record GeneratedFile(String qualifiedName, String content) {

    public GeneratedFile {
        Objects.requireNonNull(qualifiedName, "qualifiedName");
        Objects.requireNonNull(content, "content");
    }

    /** Where the file goes below a source root, e.g. {@code com/example/events/UserCreated.java}. */
    public Path relativePath() {
        return Path.of(qualifiedName.replace('.', '/') + ".java");
    }
}
