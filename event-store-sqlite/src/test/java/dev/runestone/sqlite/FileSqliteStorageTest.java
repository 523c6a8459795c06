package dev.runestone.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The adapter contract on a file store: WAL, one writer connection and a pool of readers. */
class FileSqliteStorageTest extends SqliteAdapterContract {

    @TempDir
    Path directory;

    @Override
    SqliteStorage open() {
        return SqliteStorage.file(directory.resolve("events.db"));
    }
}
