package dev.runestone.codegen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The lock file as the configs need it: the schema of every event type at every version. The generator only reads
 * the lock; a build that may change it calls {@link #write()}, and a check fails unless it is {@link #upToDate()}.
 *
 * @param path    where the lock is
 * @param content the text the lock must have; the same content always gives the same bytes
 * @param changes every difference between the lock on disk and {@code content}, one a line, in the order of the
 *                configs; empty when the lock is up to date
 */
public record LockFile(Path path, String content, List<LockChange> changes) {

    /** The file name the lock has unless told otherwise, in the first config folder. */
    public static final String DEFAULT_NAME = "runestone.lock.json";

    public LockFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        changes = List.copyOf(Objects.requireNonNull(changes, "changes"));
    }

    /**
     * Whether the lock on disk already holds what the configs need. Only its content counts, not its layout: a lock
     * checked out with other line endings is up to date.
     */
    public boolean upToDate() {
        return changes.isEmpty();
    }

    /**
     * Writes {@link #content()} to {@link #path()}, creating its folder, unless the lock is up to date. The new lock
     * is written beside the old one and moved over it, so a build stopped halfway leaves the old lock whole.
     *
     * @return whether it wrote the file
     */
    public boolean write() throws IOException {
        if (upToDate()) {
            return false;
        }
        Path folder = path.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path written = Files.createTempFile(folder, path.getFileName().toString(), ".tmp");
        try {
            Files.writeString(written, content, StandardCharsets.UTF_8);
            Files.move(written, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(written);
        }
        return true;
    }

    /**
     * Whether a build writes the lock: as {@code option} says when it is given, else yes except under continuous
     * integration, where the committed lock must already be right and a check is what fails. A build runs under
     * continuous integration when the environment variable {@code CI} is set to anything but {@code false} (GitHub
     * Actions, GitLab CI, CircleCI, Travis CI, Bitbucket Pipelines and Buildkite set it).
     *
     * @param option      the build's own setting, {@code true} or {@code false} in any case, or {@code null}
     * @param environment the environment variables, usually {@link System#getenv()}
     * @throws IllegalArgumentException if {@code option} is neither {@code true} nor {@code false}, which would
     *                                  otherwise be taken silently as one of them
     */
    public static boolean written(@Nullable String option, Map<String, String> environment) {
        if (option != null) {
            if (!option.equalsIgnoreCase("true") && !option.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(option + " is neither true nor false");
            }
            return Boolean.parseBoolean(option);
        }
        String ci = environment.get("CI");
        return ci == null || ci.isBlank() || ci.equalsIgnoreCase("false");
    }
}
