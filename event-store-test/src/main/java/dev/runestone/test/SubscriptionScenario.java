package dev.runestone.test;

import dev.runestone.subscription.ParkedEvent;
import dev.runestone.subscription.Subscription;
import java.util.List;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;

/**
 * Given/then for a durable subscription: events appended while it runs, and what its handlers made of them once it
 * has handled them. Made by {@link TestEventStore#subscription(java.util.function.Function)}, which started the
 * subscription.
 *
 * <pre>{@code
 * runestone.subscription(store -> store.subscribe("users").projection(readModel.projection()))
 *         .given("user-1", new UserCreated(...))
 *         .then(() -> assertThat(readModel.emails()).containsExactly("jane@example.com"));
 * }</pre>
 *
 * <p>{@link #then} waits for the subscription to reach the last event appended through the store (with
 * {@link Subscription#awaitPosition}, no sleeping), so the assertions see everything the handlers did. Events given
 * here reach the handlers as new ones; events given to the {@link TestEventStore} before the subscription started
 * reach them as replays, which {@code once} handlers skip. Not thread-safe.
 *
 * @param <E> the event type
 */
public final class SubscriptionScenario<E> {

    private final TestEventStore<E> runestone;
    private final Subscription<E> subscription;

    SubscriptionScenario(TestEventStore<E> runestone, Subscription<E> subscription) {
        this.runestone = runestone;
        this.subscription = subscription;
    }

    /** Appends {@code events} to {@code stream}, in one append. */
    @SafeVarargs
    @SuppressWarnings("varargs") // List.of copies the array, which never escapes.
    public final SubscriptionScenario<E> given(String stream, E... events) {
        return given(stream, List.of(events));
    }

    /** Appends {@code events} to {@code stream}, in one append. */
    public SubscriptionScenario<E> given(String stream, List<? extends E> events) {
        runestone.given(stream, events);
        return this;
    }

    /**
     * Waits until the subscription has handled every event appended through the store so far, fails if it parked
     * one, then runs {@code assertions}.
     *
     * @throws AssertionError if the subscription stopped or had not caught up within 30 seconds, parked an event (a
     *                        handler failed on it every attempt; the message gives the error), or the assertions
     *                        failed
     */
    public SubscriptionScenario<E> then(Executable assertions) {
        awaitHandled();
        List<ParkedEvent> parked = subscription.parked();
        if (!parked.isEmpty()) {
            StringBuilder message = new StringBuilder("Subscription '" + subscription.name() + "' parked "
                    + StructuralDiff.count(parked.size()) + ", its handler having failed on each every attempt:");
            for (ParkedEvent event : parked) {
                message.append("\n  event ").append(event.eventId()).append(" at position ").append(event.position())
                        .append(" after ").append(event.attempts()).append(" attempts: ").append(event.error());
            }
            throw new AssertionFailedError(message.toString());
        }
        TestEventStore.runAssertions(assertions);
        return this;
    }

    /** The running subscription: to stop it, or look at its checkpoint or parked events. */
    public Subscription<E> subscription() {
        return subscription;
    }

    /** Waits until the subscription has handled the last event appended through the store, failing if it does not. */
    void awaitHandled() {
        long position = runestone.lastAppended();
        boolean reached;
        try {
            reached = subscription.awaitPosition(position, TestEventStore.PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("Interrupted while waiting for subscription '" + subscription.name()
                    + "'", e);
        }
        if (reached) {
            return;
        }
        Throwable stopped = subscription.failure().orElse(null);
        if (stopped != null) {
            throw new AssertionFailedError("Subscription '" + subscription.name() + "' stopped: " + stopped, stopped);
        }
        throw new AssertionFailedError("Subscription '" + subscription.name() + "' had not handled the log up to "
                + "position " + position + " after " + TestEventStore.PATIENCE.toSeconds() + " s"
                + (subscription.isRunning() ? "" : ", and is no longer running") + "; its checkpoint is at "
                + runestone.store().subscriptions().checkpoint(subscription.name()));
    }
}
