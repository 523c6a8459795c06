package dev.runestone.postgres.subscription;

import dev.runestone.testkit.TaskEvent;
import dev.runestone.EventStore;
import dev.runestone.postgres.PostgresStorage;
import dev.runestone.subscription.Projection;
import dev.runestone.subscription.StartFrom;
import java.sql.PreparedStatement;
import java.time.Duration;

/**
 * One instance of subscription {@code shared}, as {@link InstanceProcessesTest} starts several and kills one: its
 * {@code once} handler records each event with this process's id, through the store's connection.
 */
public final class SharingChild {

    private SharingChild() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[1];
        EventStore<TaskEvent> store = EventStore.builder(TaskEvent.registry(),
                PostgresStorage.builder().jdbcUrl(url).schema(schema).poolSize(3).build()).build();
        String table = "\"" + schema + "\".handled";
        Projection<TaskEvent> projection = Projection.<TaskEvent>builder()
                .once("record", TaskEvent.Noted.class, (record, connection) -> {
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                            + " (event_id, stream, n, pid) VALUES (?, ?, ?, ?)")) {
                        insert.setObject(1, record.id());
                        insert.setString(2, record.stream());
                        insert.setLong(3, record.event().n());
                        insert.setLong(4, ProcessHandle.current().pid());
                        insert.executeUpdate();
                    }
                    if (record.event().n() % 4 == 0) {
                        Thread.sleep(1);
                    }
                })
                .build();
        store.subscribe("shared").from(StartFrom.END).partitions(6).lease(Duration.ofSeconds(2)).pageSize(100)
                .projection(projection).start();
        Thread.sleep(Long.MAX_VALUE);
    }
}
