package dev.runestone.testkit.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable subscriptions across real process crashes: child JVMs run one subscription on the adapter's database, the
 * test kills them with SIGKILL part way through, and checks what the database kept.
 *
 * <p>Each child runs the projection of {@code SubscriberChild}: a plain {@code once} handler that journals each run,
 * and a {@code once} handler on the store's connection that inserts a row per event into a read-model table. Every
 * test then checks that
 *
 * <ul>
 *   <li>every event was projected exactly once: one row each, written in the transaction that moved the
 *       checkpoint;</li>
 *   <li>each stream's events were projected in order: each row names the event projected before it in its stream,
 *       and that is the stream's previous event;</li>
 *   <li>no {@code once} handler that had succeeded ran again: the ledger holds both keys for every event, no child
 *       found a ledger entry for a run it was making, and the plain handler ran twice only for events that a killed
 *       process had run without recording it, at most one per partition;</li>
 *   <li>no two processes handled one stream at the same time (see {@code StreamGuard});</li>
 *   <li>nothing was parked, and the subscription's checkpoint reached the last event.</li>
 * </ul>
 *
 * <p>An adapter's test supplies a {@link StoreOpener} and fresh storage for each test:
 *
 * <pre>{@code
 * class SqliteProcessTest extends SubscriptionProcessSuite {
 *     @TempDir Path files;
 *
 *     protected StoreOpener opener() { return new FileOpener(); }
 *
 *     protected List<String> newDatabase() { return List.of(files.resolve("events.db").toString()); }
 * }
 * }</pre>
 *
 * <p>The children are killed before a test ends, whether it passed or failed. When a test fails, its directory with
 * the children's logs and journals stays for a look; the failure message names it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class SubscriptionProcessSuite {

    private static final int KILL_AND_RESTART_EVENTS = 10_000;
    private static final int SHARED_EVENTS = 6_000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path directory;

    /** Opens the adapter under test, in this JVM and in the children. */
    protected abstract StoreOpener opener();

    /** Names new, empty storage for one test, as the arguments {@link #opener()} takes. */
    protected abstract List<String> newDatabase();

    @Test
    void a_process_killed_part_way_through_10_000_events_and_started_again_projects_each_event_once() throws Exception {
        try (ProcessRun run = ProcessRun.open(opener(), newDatabase(), directory)) {
            Process first = run.startChild();
            run.await("the first child holds every partition", () -> run.sharedEvenlyBy(first));
            run.append(KILL_AND_RESTART_EVENTS);

            run.await("the first child has projected a fifth of the events",
                    () -> run.projected() >= KILL_AND_RESTART_EVENTS / 5);
            run.kill(first);
            long beforeTheKill = run.projected();
            assertThat(beforeTheKill).as("events projected when the first child was killed")
                    .isPositive().isLessThan(KILL_AND_RESTART_EVENTS);

            Process second = run.startChild();
            long last = run.lastPosition();
            run.await("the second child has projected every event",
                    () -> run.projected() >= KILL_AND_RESTART_EVENTS && run.checkpoint() >= last);

            assertThat(run.projectedBy(first)).as("events the first child projected").isEqualTo(beforeTheKill);
            assertThat(run.projectedBy(second)).as("events the second child projected")
                    .isEqualTo(KILL_AND_RESTART_EVENTS - beforeTheKill);
            assertEveryEventHandledOnceInOrder(run, List.of(first));
        }
    }

    @Test
    void two_then_three_processes_share_the_work_and_when_one_is_killed_the_others_finish_its_part()
            throws Exception {
        try (ProcessRun run = ProcessRun.open(opener(), newDatabase(), directory)) {
            Process first = run.startChild();
            Process second = run.startChild();
            run.await("two children share the partitions", () -> run.sharedEvenlyBy(first, second));
            run.append(SHARED_EVENTS / 3);
            run.await("the two children are under way", () -> run.projected() >= SHARED_EVENTS / 6);

            Process third = run.startChild();
            // Events keep coming while the third child joins, so that partitions change hands with work in flight.
            run.appendUntil("three children share the partitions", SHARED_EVENTS / 3,
                    () -> run.sharedEvenlyBy(first, second, third));
            run.append(SHARED_EVENTS - run.appended().size());
            run.await("the third child is under way and half the events are projected",
                    () -> run.projectedBy(third) > 0 && run.projected() >= SHARED_EVENTS / 2);

            run.kill(first);
            long beforeTheKill = run.projected();
            assertThat(beforeTheKill).as("events projected when the first child was killed")
                    .isLessThan(SHARED_EVENTS);
            assertThat(run.projectedBy(first)).as("events the first child projected").isPositive();

            long last = run.lastPosition();
            run.await("the two survivors share the partitions and have projected every event",
                    () -> run.sharedEvenlyBy(second, third) && run.projected() >= SHARED_EVENTS
                            && run.checkpoint() >= last);

            assertThat(run.projectedBy(second)).as("events the second child projected").isPositive();
            assertThat(run.projectedBy(third)).as("events the third child projected").isPositive();
            // The stream of the last event the killed child took on was cut short; the survivors carried it on.
            int lastTakenOn = run.appended().indexOf(run.journal().notified().get(first.pid()).getLast());
            assertThat(run.count("SELECT count(*) FROM " + SubscriberChild.TABLE + " WHERE stream = ? AND n >= ? "
                    + "AND pid <> ?", ProcessRun.stream(lastTakenOn), lastTakenOn, first.pid()))
                    .as("events the survivors projected in the stream the killed child was working on").isPositive();
            assertEveryEventHandledOnceInOrder(run, List.of(first));
        }
    }

    private static void assertEveryEventHandledOnceInOrder(ProcessRun run, List<Process> killed) throws Exception {
        List<UUID> events = run.appended();
        String table = SubscriberChild.TABLE;

        assertThat(run.projected()).as("rows in the read model").isEqualTo(events.size());
        assertThat(run.count("SELECT count(DISTINCT event_id) FROM " + table)).as("events in the read model")
                .isEqualTo(events.size());
        assertThat(run.count("SELECT count(*) FROM " + table + " WHERE (n < ? AND previous IS NOT NULL) "
                + "OR (n >= ? AND (previous IS NULL OR previous <> n - ?))",
                ProcessRun.STREAMS, ProcessRun.STREAMS, ProcessRun.STREAMS))
                .as("events projected after another than their stream's previous event").isZero();
        assertThat(run.parked()).as("parked events").isZero();

        List<String> keys = List.of(SubscriberChild.NOTIFY, SubscriberChild.PROJECT);
        List<UUID> missingFromLedger = new ArrayList<>();
        for (UUID event : events) {
            if (!run.ledger(keys, event).containsAll(keys)) {
                missingFromLedger.add(event);
            }
        }
        assertThat(missingFromLedger).as("events without both once handlers in the ledger").isEmpty();

        Journal journal = run.journal();
        assertThat(journal.breaches()).as("breaches the children saw").isEmpty();
        Map<UUID, List<Long>> runs = journal.runsByEvent();
        assertThat(runs.keySet()).as("events the plain once handler ran for")
                .containsExactlyInAnyOrderElementsOf(events);
        Set<Long> killedPids = Set.copyOf(killed.stream().map(Process::pid).toList());
        List<String> repeated = new ArrayList<>();
        List<String> repeatedBySurvivors = new ArrayList<>();
        runs.forEach((event, pids) -> {
            if (pids.size() > 1) {
                repeated.add(event + " by processes " + pids);
            }
            if (pids.stream().filter(pid -> !killedPids.contains(pid)).count() > 1) {
                repeatedBySurvivors.add(event + " by processes " + pids);
            }
        });
        assertThat(repeatedBySurvivors).as("events the plain once handler ran for more than once in processes that "
                + "were never killed").isEmpty();
        // Only a run cut short by the kill, between the handler's return and its ledger entry, may be repeated: at
        // most one per partition the killed process held.
        assertThat(repeated).as("events the plain once handler ran for more than once")
                .hasSizeLessThanOrEqualTo(killed.size() * SubscriberChild.PARTITIONS);
    }
}
