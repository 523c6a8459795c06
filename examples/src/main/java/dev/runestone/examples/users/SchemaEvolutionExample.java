package dev.runestone.examples.users;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.LogPage;
import dev.runestone.UndecodableEvent;
import dev.runestone.examples.users.versions.UserCreatedV1;
import dev.runestone.registry.EventRegistry;
import dev.runestone.sqlite.SqliteStorage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The schema evolution example: {@code user:created} went to version 2, and the events the previous release stored at
 * version 1 are read as today's records. Run it with
 * {@code ./mvnw -q -pl examples -am compile exec:java -Dexample.main=dev.runestone.examples.users.SchemaEvolutionExample
 * -Dexample.file=evolution.db}.
 *
 * <p>Three runs share one SQLite file: release 1 signs users up at version 1, release 2 reads them through
 * {@link UserUpcasters} and writes at version 2, and a rollback to release 1 reads the log past the events it is too
 * old to know.
 */
public final class SchemaEvolutionExample {

    private final PrintStream out;

    SchemaEvolutionExample(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "target/evolution.db");
        new SchemaEvolutionExample(System.out).run(file);
    }

    void run(Path file) throws IOException {
        ExampleDatabase.deleteIfExists(file);
        out.println("Runestone schema evolution example, storing events in " + file);
        releaseOne(file);
        releaseTwo(file);
        rollBackToReleaseOne(file);
    }

    /**
     * The registry of the previous release, which wrote {@code user:created} at version 1. {@link UserCreatedV1} is the
     * record that release had: the build generates it from version 1's schema in the lock file.
     */
    private static EventRegistry<Record> releaseOneRegistry() {
        return EventRegistry.builder(Record.class)
                .register(UserCreatedV1.TYPE, UserCreatedV1.VERSION, UserCreatedV1.class)
                .register(UserEmailSet.TYPE, UserEmailSet.class)
                .build();
    }

    private void releaseOne(Path file) {
        try (EventStore<Record> store = EventStore.builder(releaseOneRegistry(), SqliteStorage.file(file)).build()) {
            store.append("user-ada", new UserCreatedV1(new UserCreatedV1.Data("Ada Lovelace", "ada@example.com"),
                    new UserCreatedV1.Meta("signup-form")));
            store.append("user-grace", new UserCreatedV1(new UserCreatedV1.Data("Grace Hopper", "grace@example.com"),
                    new UserCreatedV1.Meta("signup-form")));
            store.append("user-ada", new UserEmailSet("ada@analytical.example", new UserEmailSet.Meta("ada")));
            out.println("Release 1 signed up Ada Lovelace and Grace Hopper, each name one string (version 1)");
        }
    }

    private void releaseTwo(Path file) {
        EventRegistry<UserEvent> registry = UserEvent.registry(new UserUpcasters());
        try (EventStore<UserEvent> store = EventStore.builder(registry, SqliteStorage.file(file)).build()) {
            User linus = store.create(User.REDUCER, "user-linus");
            linus.signUp("Linus", "Torvalds", "linus@example.com", "signup-form");
            linus.save();
            out.println("Release 2 signed up Linus Torvalds, given and family name apart (version 2)");

            User ada = store.reduce(User.REDUCER, "user-ada").orElseThrow();
            out.println("Release 2 reduced user-ada from version 1 events: " + ada.fullName() + ", " + ada.email());
            out.println("Release 2 reads the log, every event as today's record:");
            for (EventRecord<UserEvent> record : store.readLog(0, 100).events()) {
                out.printf("  #%d %-14s stored at version %d: %s%n", record.position(), record.type(),
                        record.schemaVersion(), record.event());
            }
        }
    }

    private void rollBackToReleaseOne(Path file) {
        try (EventStore<Record> store = EventStore.builder(releaseOneRegistry(), SqliteStorage.file(file)).build()) {
            LogPage<Record> page = store.readLog(0, 100);
            out.println("Rolled back, release 1 reads the log past what it cannot: " + page.events().size()
                    + " events, and " + page.undecodable().size() + " it does not know, with the reason:");
            for (UndecodableEvent undecodable : page.undecodable()) {
                out.printf("  #%d %s: %s%n", undecodable.position(), undecodable.type(),
                        undecodable.error().getMessage());
            }
        }
    }
}
