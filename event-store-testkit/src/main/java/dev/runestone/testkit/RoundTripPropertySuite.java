package dev.runestone.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.runestone.AppendResult;
import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.EventValidationException;
import dev.runestone.LogPage;
import dev.runestone.registry.EventLimits;
import dev.runestone.subscription.ParkedEvent;
import dev.runestone.subscription.Subscription;
import dev.runestone.testkit.BoundaryEvent.Count;
import dev.runestone.testkit.BoundaryValues.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The log's boundary as a property of a few hundred seeded random events at, just under and just past every limit
 * (see {@link BoundaryValues}), each appended on its own: either the append is refused at the door, naming a rule of
 * the boundary, with nothing stored and the store still usable; or the event reads back equal through
 * {@code read}, {@code find} and {@code readLog}, and, checked once at the end for all of them, a durable
 * subscription.
 *
 * <p>One seed per run, from the system property {@code runestone.seed} or else random; a failure names the seed, the
 * case and its value, and {@code -Drunestone.seed=<seed>} replays the same cases. {@code runestone.cases} sets how
 * many run (300 unless set).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class RoundTripPropertySuite extends SuiteBase {

    /** The seed of this run, one for every adapter the run tests. */
    private static final long SEED = seed();

    /** A few seconds on each adapter; a longer search sets {@code runestone.cases}. */
    private static final int CASES = Integer.getInteger("runestone.cases", 300);

    /** The rules of the log's boundary, as {@link EventValidationException.Violation#rule()} names them. */
    private static final Set<String> RULES = Set.of("maxNestingDepth", "maxNumberLength", "maxNameLength",
            "maxStringLength", "maxEventBytes", "unicode", "number");

    private static long seed() {
        String given = System.getProperty("runestone.seed");
        return given == null ? new SplittableRandom().nextLong() : Long.parseLong(given.strip());
    }

    @Test
    void every_append_is_refused_leaving_nothing_behind_or_reads_back_equal_everywhere() throws InterruptedException {
        BoundaryValues values = new BoundaryValues(SEED);
        Checked small = new Checked(openStore(BoundaryEvent.registry(BoundaryValues.SMALL)), "small limits");
        Checked defaults = new Checked(openStore(BoundaryEvent.registry(EventLimits.defaults())), "default limits");

        for (int number = 1; number <= CASES; number++) {
            Case next = values.next(number);
            (next.defaultLimits() ? defaults : small).append(next);
        }

        for (Checked each : List.of(small, defaults)) {
            each.logHoldsWhatWasAcceptedAndNothingElse();
            each.aSubscriptionDeliversWhatWasAccepted();
        }
        assertThat(small.acceptedCases).as("seed %d: cases accepted under small limits", SEED).isPositive();
        assertThat(small.refusedCases).as("seed %d: cases refused under small limits", SEED).isPositive();
    }

    /** An event a store accepted, and the case that made it or whose refusal it followed. */
    private record Accepted(EventRecord<BoundaryEvent> record, Case origin) {
    }

    @FunctionalInterface
    private interface Check {
        void run() throws InterruptedException;
    }

    /** Runs a check of one case; a failure names the seed, the case and its value. */
    private static void checking(Case origin, Check check) throws InterruptedException {
        try {
            check.run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("Seed " + SEED + ", case " + origin.number() + ": " + e.getMessage()
                    + "\n  " + origin + "\n  replay with -Drunestone.seed=" + SEED, e);
        }
    }

    /** One store under test and what it accepted, in commit order. */
    private static final class Checked {

        private final EventStore<BoundaryEvent> store;
        private final String limits;
        private final List<Accepted> accepted = new ArrayList<>();
        /** The position of the last event in the log. */
        private long position;
        private int acceptedCases;
        private int refusedCases;

        Checked(EventStore<BoundaryEvent> store, String limits) {
            this.store = store;
            this.limits = limits;
        }

        void append(Case next) throws InterruptedException {
            checking(next, () -> {
                AppendResult<BoundaryEvent> result;
                try {
                    result = store.append(next.stream(), next.event());
                } catch (IllegalArgumentException refusal) {
                    if (next.wellFormedStream()) {
                        fail("append refused a well-formed stream id: " + refusal.getMessage());
                    }
                    refused(next);
                    return;
                } catch (EventValidationException refusal) {
                    if (!next.wellFormedStream()) {
                        fail("append did not refuse the ill-formed stream id first: " + refusal.getMessage());
                    }
                    assertThat(refusal.violations()).as("violations of the refusal").isNotEmpty()
                            .allSatisfy(violation -> {
                                assertThat(violation.rule()).as("rule of %s", violation).isIn(RULES);
                                assertThat(violation.path()).as("path of %s", violation).startsWith("data");
                            });
                    refused(next);
                    return;
                }
                if (!next.wellFormedStream()) {
                    fail("append accepted the ill-formed stream id");
                }
                readsBackEqual(next, result);
            });
        }

        private void readsBackEqual(Case next, AppendResult<BoundaryEvent> result) throws InterruptedException {
            assertThat(result.records().size()).as("records appended").isEqualTo(1);
            EventRecord<BoundaryEvent> written = result.records().getFirst();
            assertThat(written.stream()).as("stream of the record appended").isEqualTo(next.stream());
            assertThat(written.version()).as("version of the record appended").isEqualTo(1);

            List<EventRecord<BoundaryEvent>> stream = store.read(next.stream());
            assertThat(stream.size()).as("events read from the stream").isEqualTo(1);
            same("read(stream)", written, stream.getFirst());
            same("find(id)", written, store.find(written.id()).orElse(null));
            LogPage<BoundaryEvent> page = pageAfter(position);
            if (!page.undecodable().isEmpty()) {
                fail("readLog holds an undecodable row: " + page.undecodable().getFirst().error().getMessage());
            }
            assertThat(page.events().size()).as("events in the log after the last one").isEqualTo(1);
            same("readLog", written, page.events().getFirst());

            accepted.add(new Accepted(written, next));
            position = written.position();
            acceptedCases++;
        }

        /** Nothing of the refused append is stored, and the store takes the next event as before. */
        private void refused(Case next) {
            if (next.wellFormedStream()) {
                assertThat(store.version(next.stream())).as("version of the stream after the refusal").isZero();
            }
            LogPage<BoundaryEvent> page = store.readLog(position, Integer.MAX_VALUE);
            if (!page.isEmpty()) {
                fail("the refused append left " + (page.events().size() + page.undecodable().size())
                        + " rows in the log");
            }
            EventRecord<BoundaryEvent> fine = store.append("after-refusal", new Count(next.number()))
                    .records().getFirst();
            same("find(id) after the refusal", fine, store.find(fine.id()).orElse(null));
            accepted.add(new Accepted(fine, next));
            position = fine.position();
            refusedCases++;
        }

        /** The log after {@code position}, waiting while a transaction in flight elsewhere holds it back. */
        private LogPage<BoundaryEvent> pageAfter(long position) throws InterruptedException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            LogPage<BoundaryEvent> page = store.readLog(position, Integer.MAX_VALUE);
            while (page.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
                page = store.readLog(position, Integer.MAX_VALUE);
            }
            return page;
        }

        void logHoldsWhatWasAcceptedAndNothingElse() throws InterruptedException {
            List<EventRecord<BoundaryEvent>> log = logOf(store);
            for (int i = 0; i < accepted.size(); i++) {
                Accepted each = accepted.get(i);
                EventRecord<BoundaryEvent> found = i < log.size() ? log.get(i) : null;
                String reader = "the whole log, at index " + i;
                checking(each.origin(), () -> same(reader, each.record(), found));
            }
            assertThat(log.size()).as("seed %d: events in the log under %s", SEED, limits).isEqualTo(accepted.size());
        }

        void aSubscriptionDeliversWhatWasAccepted() throws InterruptedException {
            Map<UUID, EventRecord<BoundaryEvent>> delivered = new ConcurrentHashMap<>();
            Subscription<BoundaryEvent> subscription = store.subscribe("round-trip")
                    .handler((record, status) -> delivered.put(record.id(), record)).start();
            List<ParkedEvent> parked;
            try {
                await("seed " + SEED + ": a subscription under " + limits + " delivers all " + accepted.size()
                        + " events accepted, or parks one", () -> delivered.size() >= accepted.size()
                        || !subscription.parked().isEmpty());
                parked = subscription.parked();
            } finally {
                subscription.close();
            }
            for (Accepted each : accepted) {
                ParkedEvent parking = parked.stream().filter(event -> event.eventId().equals(each.record().id()))
                        .findFirst().orElse(null);
                checking(each.origin(), () -> {
                    if (parking != null) {
                        fail("the subscription parked the event: " + parking.error());
                    }
                    same("the subscription", each.record(), delivered.get(each.record().id()));
                });
            }
        }

        private static void same(String reader, EventRecord<BoundaryEvent> written,
                @Nullable EventRecord<BoundaryEvent> read) {
            if (read == null) {
                fail(reader + " gave back nothing");
            } else if (!written.event().equals(read.event())) {
                fail(reader + " gave back another event: " + BoundaryValues.difference(written.event(), read.event()));
            } else if (!written.equals(read)) {
                fail(reader + " gave back another record: wrote " + header(written) + ", read " + header(read));
            }
        }

        private static String header(EventRecord<?> record) {
            return record.id() + " " + record.type() + " " + BoundaryValues.quote(record.stream()) + " v"
                    + record.version() + " at " + record.position() + ", created " + record.created()
                    + ", recorded " + record.recorded();
        }
    }

    /** Every event of the store's log, which must hold no undecodable row. */
    private static List<EventRecord<BoundaryEvent>> logOf(EventStore<BoundaryEvent> store) {
        LogPage<BoundaryEvent> page = store.readLog(0, Integer.MAX_VALUE);
        assertThat(page.undecodable().size()).as("seed %d: undecodable rows in the log", SEED).isZero();
        return log(store);
    }
}
