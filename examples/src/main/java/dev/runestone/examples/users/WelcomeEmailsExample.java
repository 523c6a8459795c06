package dev.runestone.examples.users;

import dev.runestone.EventStore;
import dev.runestone.projector.Effects;
import dev.runestone.sqlite.SqliteStorage;
import dev.runestone.subscription.Projection;
import dev.runestone.subscription.StartFrom;
import dev.runestone.subscription.Subscription;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A projection that survives a restart: run it with {@code ./mvnw -q -pl examples -am compile exec:java
 * -Dexample.main=dev.runestone.examples.users.WelcomeEmailsExample -Dexample.file=welcome-emails.db}.
 *
 * <p>Three runs of a service share one SQLite file. The first starts the durable subscription {@code users}, then
 * signs users up while its process "dies" before they are projected. The second run finds their events after the
 * subscription's checkpoint and projects them: the read model fills and each new user gets exactly one welcome
 * email. The third replays the log from the start: the read model is rebuilt from hydrated events and no email is
 * sent twice.
 */
public final class WelcomeEmailsExample {

    private final PrintStream out;
    private final Map<String, String> readModel = new ConcurrentHashMap<>();
    private final List<String> sentEmails = new CopyOnWriteArrayList<>();

    WelcomeEmailsExample(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "target/welcome-emails.db");
        new WelcomeEmailsExample(System.out).run(file);
    }

    void run(Path file) throws IOException, InterruptedException {
        ExampleDatabase.deleteIfExists(file);
        out.println("Runestone welcome emails example, storing events in " + file);

        try (EventStore<UserEvent> store = open(file)) {
            // The subscription exists from here on: events appended later are new to it.
            try (Subscription<UserEvent> users = subscribe(store)) {
                awaitLease(users);
            }
            for (String name : List.of("Ada", "Grace", "Linus")) {
                User user = store.create(User.REDUCER, "user-" + name.toLowerCase());
                user.signUp(name, "Example", name.toLowerCase() + "@example.com", "signup-form");
                user.save();
            }
            out.println("Run 1: signed up 3 users, then the process stopped before projecting them");
        }

        try (EventStore<UserEvent> store = open(file);
                Subscription<UserEvent> users = subscribe(store)) {
            awaitHandled(store, users);
            out.println("Run 2: the subscription resumed from its checkpoint; read model " + readModel.keySet()
                    + ", welcome emails sent " + sentEmails);
        }

        readModel.clear();
        try (EventStore<UserEvent> store = open(file)) {
            store.subscriptions().replay("users");
            try (Subscription<UserEvent> users = subscribe(store)) {
                awaitHandled(store, users);
            }
            out.println("Run 3: replayed from position 0; read model rebuilt " + readModel.keySet()
                    + ", welcome emails sent in all " + sentEmails.size());
        }
    }

    private static EventStore<UserEvent> open(Path file) {
        return EventStore.builder(UserEvent.registry(new UserUpcasters()), SqliteStorage.file(file)).build();
    }

    private Subscription<UserEvent> subscribe(EventStore<UserEvent> store) {
        return store.subscribe("users").from(StartFrom.END).lease(Duration.ofSeconds(5)).projection(projection())
                .start();
    }

    /** The read model and the welcome email, run by the durable subscription {@code users}. */
    Projection<UserEvent> projection() {
        return Projection.<UserEvent>builder()
                // A read model: takes new and replayed (hydrated) events.
                .on(UserCreated.class, record -> readModel.put(record.stream(), record.event().data().email()))
                // A side effect: new events only, and never twice for one event, thanks to the once ledger.
                .once("welcome-email", UserCreated.class, record -> {
                    sentEmails.add(record.event().data().email());
                    return record.event().data().email();
                }, Effects.of((record, to) -> out.println("  welcome email sent to " + to),
                        (record, error) -> out.println("  welcome email failed: " + error.getMessage())))
                .build();
    }

    private static void awaitLease(Subscription<UserEvent> subscription) throws InterruptedException {
        while (subscription.heldPartitions().isEmpty()) {
            Thread.sleep(10);
        }
    }

    /** Waits until the subscription has handled every event stored so far. */
    private static void awaitHandled(EventStore<UserEvent> store, Subscription<UserEvent> users)
            throws InterruptedException {
        long last = store.readLog(0, Integer.MAX_VALUE).lastPosition();
        if (!users.awaitPosition(last, Duration.ofSeconds(30))) {
            throw new IllegalStateException("The subscription did not reach position " + last + " within 30 s"
                    + users.failure().map(failure -> ": " + failure.getMessage()).orElse(""));
        }
    }

    List<String> sentEmails() {
        return sentEmails;
    }

    Map<String, String> readModel() {
        return readModel;
    }
}
