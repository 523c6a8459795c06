package dev.runestone.examples.users;

import dev.runestone.ConcurrencyException;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.EventValidationException;
import dev.runestone.ReadOptions;
import dev.runestone.Reducer;
import dev.runestone.Target;
import dev.runestone.projector.Effects;
import dev.runestone.projector.Projector;
import dev.runestone.registry.EventRegistry;
import dev.runestone.sqlite.SqliteStorage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The user service example: run it with {@code ./mvnw -q -pl examples -am compile exec:java}.
 *
 * <p>It stores events in a SQLite file ({@code target/users.db} by default, or the path given as the first argument),
 * starting from an empty file each run.
 */
public final class UserServiceExample {

    /** A user's summary, folded by a plain reducer. */
    record UserSummary(String email, int emailChanges, boolean active) {

        static final Reducer<UserSummary, UserEvent> REDUCER = Reducer.of("user-summary", UserSummary.class,
                () -> new UserSummary("", 0, false),
                (summary, record) -> switch (record.event()) {
                    case UserCreated created -> new UserSummary(created.data().email(), 0, true);
                    case UserEmailSet set -> new UserSummary(set.data(), summary.emailChanges() + 1, summary.active());
                    case UserDeactivated deactivated -> new UserSummary(summary.email(), summary.emailChanges(), false);
                });
    }

    /** A row of the read model the projector keeps. */
    record UserRow(String name, String email) {
    }

    private final PrintStream out;
    private final Map<String, UserRow> readModel = new ConcurrentHashMap<>();
    private final Map<String, String> welcomeEmails = new ConcurrentHashMap<>();

    UserServiceExample(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "target/users.db");
        new UserServiceExample(System.out).run(file);
    }

    void run(Path file) throws IOException, InterruptedException {
        ExampleDatabase.deleteIfExists(file);
        out.println("Runestone user service example, storing events in " + file);
        EventRegistry<UserEvent> registry = UserEvent.registry(new UserUpcasters());
        try (EventStore<UserEvent> store = EventStore.builder(registry, SqliteStorage.file(file)).build()) {
            project(store.projector());

            User jane = store.create(User.REDUCER, "user-jane");
            jane.signUp("Jane", "Doe", "jane@example.com", "signup-form");
            jane.save();
            User john = store.create(User.REDUCER, "user-john");
            john.signUp("John", "Roe", "john@example.com", "signup-form");
            john.save();
            out.println("Created users " + jane.fullName() + " and " + john.fullName());

            User loaded = store.reduce(User.REDUCER, "user-jane").orElseThrow();
            loaded.changeEmail("jane.doe@example.com", "jane");
            loaded.save();
            out.println("Changed " + loaded.fullName() + "'s email to " + loaded.email()
                    + " (stream version " + loaded.version() + ")");

            showOptimisticConcurrency(store);
            showValidation(store);

            User leaving = store.reduce(User.REDUCER, "user-john").orElseThrow();
            leaving.deactivate();
            leaving.save();
            out.println("Deactivated " + leaving.fullName());

            UserSummary summary = store.reduce(UserSummary.REDUCER, "user-jane").orElseThrow();
            out.println("Reduced user-jane: " + summary);

            store.reduce(User.REDUCER, "user-jane").orElseThrow().snapshot();
            out.println("Saved a snapshot of user-jane at version "
                    + store.snapshots().get(User.REDUCER, Target.stream("user-jane")).orElseThrow().version());

            store.projector().awaitIdle(Duration.ofSeconds(10));
            out.println("Read model: " + new TreeMap<>(readModel));
            out.println("Welcome emails sent: " + new TreeMap<>(welcomeEmails));
            out.println("The log, in commit order:");
            for (EventRecord<UserEvent> record : store.readLog(0, 100).events()) {
                out.printf("  #%d %-16s %-10s v%d created %s%n", record.position(), record.type(), record.stream(),
                        record.version(), record.created());
            }
            out.println("Events of user-jane, newest first: "
                    + store.read("user-jane", ReadOptions.defaults().descending()).stream()
                            .map(EventRecord::type).toList());
        }
    }

    /** Registers the read model's handlers and the welcome email on {@code projector}. */
    void project(Projector<UserEvent> projector) {
        projector.on(UserCreated.class, record -> readModel.put(record.stream(),
                new UserRow(record.event().data().name().given() + " " + record.event().data().name().family(),
                        record.event().data().email())));
        projector.on(UserEmailSet.class, record -> readModel.computeIfPresent(record.stream(),
                (stream, row) -> new UserRow(row.name(), record.event().data())));
        projector.on(UserDeactivated.class, record -> readModel.remove(record.stream()));
        projector.once(UserCreated.class,
                record -> "welcome-" + record.event().data().email(),
                Effects.of(
                        (record, messageId) -> welcomeEmails.put(record.event().data().email(), messageId),
                        (record, error) -> out.println("Welcome email failed: " + error.getMessage())));
    }

    /** The read model the projector keeps: a row per active user, by stream. */
    Map<String, UserRow> readModel() {
        return readModel;
    }

    /** The welcome emails sent: the message id by address. */
    Map<String, String> welcomeEmails() {
        return welcomeEmails;
    }

    private void showOptimisticConcurrency(EventStore<UserEvent> store) {
        User first = store.reduce(User.REDUCER, "user-john").orElseThrow();
        User second = store.reduce(User.REDUCER, "user-john").orElseThrow();
        first.changeEmail("john.roe@example.com", "john");
        first.save();
        second.changeEmail("jr@example.com", "support");
        try {
            second.save();
        } catch (ConcurrencyException e) {
            out.println("A stale write was refused: " + e.getMessage());
        }
    }

    private void showValidation(EventStore<UserEvent> store) {
        try {
            // The generated record checks its config's rules in its constructor, so this event is never even made.
            store.append("user-jane", new UserEmailSet("not-an-email", new UserEmailSet.Meta("jane")));
        } catch (EventValidationException e) {
            out.println("An invalid event was refused: " + e.getMessage());
        }
    }
}
