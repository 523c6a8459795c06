package dev.runestone.sqlite.subscription;

import dev.runestone.testkit.TaskEvent;
import dev.runestone.EventStore;
import dev.runestone.sqlite.SqliteStorage;
import dev.runestone.subscription.Projection;
import dev.runestone.subscription.StartFrom;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.time.Duration;

/**
 * The process {@link KillAndRestartTest} kills: runs subscription {@code welcomes} on a database file until it is
 * killed. Its {@code once} handler writes a row per event through the store's connection; its {@code on} handler
 * appends the event id to a text file, outside any transaction.
 */
public final class ProjectingChild {

    private ProjectingChild() {
    }

    public static void main(String[] args) throws Exception {
        Path database = Path.of(args[0]);
        Path seen = Path.of(args[1]);
        EventStore<TaskEvent> store = EventStore.builder(TaskEvent.registry(), SqliteStorage.file(database)).build();
        Projection<TaskEvent> projection = Projection.<TaskEvent>builder()
                .once("welcome", TaskEvent.Noted.class, (record, connection) -> {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO welcomes (event_id, pid) VALUES (?, ?)")) {
                        insert.setString(1, record.id().toString());
                        insert.setLong(2, ProcessHandle.current().pid());
                        insert.executeUpdate();
                    }
                })
                .on(TaskEvent.Noted.class, record -> {
                    append(seen, record.id() + "\n");
                    if (record.event().n() % 10 == 0) {
                        // Slow enough that the test can kill it in the middle.
                        Thread.sleep(1);
                    }
                })
                .build();
        store.subscribe("welcomes").from(StartFrom.END).lease(Duration.ofSeconds(1)).pageSize(100)
                .projection(projection).start();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void append(Path file, String line) throws IOException {
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
