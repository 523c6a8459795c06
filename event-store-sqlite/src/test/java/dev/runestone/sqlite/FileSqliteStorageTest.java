package dev.runestone.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** What only SQLite does, on a file store: WAL, one writer connection and a pool of readers. */
class FileSqliteStorageTest extends SqliteStorageTest {

    @TempDir
    Path directory;

    @Override
    SqliteStorage open() {
        return SqliteStorage.file(directory.resolve("events.db"));
    }
}
