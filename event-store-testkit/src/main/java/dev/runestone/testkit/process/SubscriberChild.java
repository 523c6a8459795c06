package dev.runestone.testkit.process;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.projector.Effects;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.spi.SubscriptionStorage;
import dev.runestone.subscription.Projection;
import dev.runestone.subscription.StartFrom;
import dev.runestone.testkit.TaskEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One instance of the subscription that {@link SubscriptionProcessSuite} runs, in a JVM of its own, until it is
 * killed. Its projection has two {@code once} handlers for every {@link TaskEvent.Noted}:
 *
 * <ul>
 *   <li>{@value #NOTIFY}, a plain one standing for a call to another service: it journals that it ran (and, as a
 *       breach, if the ledger already held it);</li>
 *   <li>{@value #PROJECT}, on the store's connection: it inserts a row into the read-model table {@value #TABLE}
 *       with the event, the {@code n} of the stream's event projected before it, and this process's id.</li>
 * </ul>
 *
 * <p>Both run inside a {@link StreamGuard}. Arguments: the {@link StoreOpener}'s class name, the working directory
 * (journals and stream markers), then the opener's arguments.
 */
final class SubscriberChild {

    static final String SUBSCRIPTION = "process-suite";
    static final int PARTITIONS = 6;
    /**
     * Short enough that a killed instance's partitions are free again within seconds, long beside the pauses a busy
     * machine makes, so that no live instance loses its lease.
     */
    static final Duration LEASE = Duration.ofSeconds(5);
    static final String NOTIFY = "notify";
    static final String PROJECT = "project";
    static final String TABLE = "projected";

    private SubscriberChild() {
    }

    /** The name a child holds leases under. */
    static String instanceName(long pid) {
        return "process-" + pid;
    }

    /** The arguments that start a child on the storage {@code database} names. */
    static List<String> arguments(StoreOpener opener, Path directory, List<String> database) {
        return Stream.concat(Stream.of(opener.getClass().getName(), directory.toString()), database.stream())
                .toList();
    }

    public static void main(String[] args) throws Exception {
        StoreOpener opener = Class.forName(args[0]).asSubclass(StoreOpener.class).getConstructor().newInstance();
        Path directory = Path.of(args[1]);
        List<String> database = Arrays.asList(args).subList(2, args.length);
        long pid = ProcessHandle.current().pid();

        StorageAdapter adapter = opener.open(database);
        SubscriptionStorage ledger = (SubscriptionStorage) adapter;
        Journal.Writer journal = new Journal.Writer(directory);
        StreamGuard guard = new StreamGuard(directory.resolve("streams"), journal);
        EventStore<TaskEvent> store = EventStore.builder(TaskEvent.registry(), adapter).build();
        Projection<TaskEvent> projection = Projection.<TaskEvent>builder()
                .once(NOTIFY, TaskEvent.Noted.class, record -> {
                    guard.run(record.stream(), record.event().n(), () -> {
                        // The subscription has just looked the ledger up; a second look catches a run it let through.
                        if (!ledger.onceDone(Set.of(NOTIFY), record.id()).isEmpty()) {
                            journal.breach("again: " + NOTIFY + " ran for event " + record.id()
                                    + ", which the ledger already held");
                        }
                        journal.notified(record.id());
                        // The pause of a call to another service; it also widens the window an overlap would show in.
                        Thread.sleep(1);
                    });
                    return record.id();
                }, Effects.of((record, id) -> { }, (record, error) -> { }))
                .once(PROJECT, TaskEvent.Noted.class, (record, connection) ->
                        guard.run(record.stream(), record.event().n(), () -> project(connection, record, pid)))
                .build();
        store.subscribe(SUBSCRIPTION)
                .from(StartFrom.END)
                .partitions(PARTITIONS)
                .lease(LEASE)
                .pageSize(100)
                .instanceName(instanceName(pid))
                .projection(projection)
                .start();
        // The subscription's threads are daemons: keep the JVM alive until the test kills it.
        Thread.currentThread().join();
    }

    private static void project(Connection connection, EventRecord<TaskEvent.Noted> record, long pid)
            throws SQLException {
        Long previous;
        try (PreparedStatement last = connection.prepareStatement(
                "SELECT max(n) FROM " + TABLE + " WHERE stream = ?")) {
            last.setString(1, record.stream());
            try (ResultSet row = last.executeQuery()) {
                row.next();
                long max = row.getLong(1);
                previous = row.wasNull() ? null : max;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
                + " (event_id, stream, n, previous, pid) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, record.id().toString());
            insert.setString(2, record.stream());
            insert.setLong(3, record.event().n());
            if (previous == null) {
                insert.setNull(4, Types.BIGINT);
            } else {
                insert.setLong(4, previous);
            }
            insert.setLong(5, pid);
            insert.executeUpdate();
        }
    }
}
