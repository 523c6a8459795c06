package dev.runestone.examples.users;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The examples' SQLite files: each run starts from an empty one. */
final class ExampleDatabase {

    private ExampleDatabase() {
    }

    /** Deletes {@code file} and its write-ahead log, and creates its folder if it is missing. */
    static void deleteIfExists(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
    }
}
