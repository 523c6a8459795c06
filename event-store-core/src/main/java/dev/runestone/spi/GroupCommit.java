package dev.runestone.spi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Coalesces appends that arrive while another is being written into one group, written together, so that many
 * threads appending one event each share a transaction's commit instead of paying one each: group commit, done in
 * the client. Adapters use it; applications meet it only through their adapter's builder.
 *
 * <p><b>How a group forms.</b> An append that finds no group being written writes its own, on its own thread.
 * Appends that arrive while a group is being written queue up; when that group is done, the oldest of them writes
 * every append queued by then as the next group, on its own thread. A group holds appends in the order they arrived
 * and stops growing past {@code maxEvents} events (a larger append goes alone).
 *
 * <p><b>Waiting for the last group's callers.</b> The callers of a group just written come back with their next
 * appends within microseconds; a group taken before they do is written nearly alone, with the rest after it. So
 * after a group of several, the next group waits until as many appends are queued as that group held (or
 * {@code maxEvents} events), but only until as long after its callers were told as it took to write, and never
 * more than a millisecond after. After a group of one, or once that time has passed, nobody waits: a lone writer, and an
 * append to a store that was idle, writes at once and pays a lock and nothing else. So groups grow only while
 * commits are the bottleneck, and shrink back to one when they are not.
 *
 * <p><b>What each caller gets.</b> The {@link Writer} reports an outcome per append: one append's conflict or
 * repeated id fails that append alone, with the exception it would get alone. If the writer throws, every append
 * of the group fails with that exception (an {@link Error} reaches the other callers wrapped in an
 * {@link IllegalStateException}). {@link #append} returns or throws only once its group is over.
 *
 * <p><b>Closing.</b> After {@link #close()} every append is refused with the exception the constructor was given,
 * and so are appends still queued; a group being written runs to its end (the adapter's own close makes its writing
 * fail if it must), so no caller is left waiting.
 *
 * <p>Thread-safe. A waiting caller is not interruptible, as a caller inside a JDBC call is not: an interrupt is
 * kept and set again when the append returns. A caller writes its group with its interrupt status cleared, so that
 * it cannot fail the others' appends.
 */
public final class GroupCommit {

    /** Writes a group of appends; called by one thread at a time. */
    @FunctionalInterface
    public interface Writer {

        /**
         * Writes {@code group}, the appends in arrival order, and returns one result per append in the same order.
         * Throwing fails every append of the group with what it throws; the writer must then have written none of
         * them.
         */
        List<Result> write(List<AppendRequest> group);
    }

    /** What became of one append of a group: its outcome, or the exception its caller gets. */
    public record Result(@Nullable AppendOutcome outcome, @Nullable RuntimeException failure) {

        public Result {
            if ((outcome == null) == (failure == null)) {
                throw new IllegalArgumentException("A result holds an outcome or a failure, not both or neither");
            }
        }

        /** The append was written (or was all repeats): its outcome. */
        public static Result appended(AppendOutcome outcome) {
            return new Result(Objects.requireNonNull(outcome, "outcome"), null);
        }

        /** The append failed alone: nothing of it was written, and its caller gets {@code failure}. */
        public static Result failed(RuntimeException failure) {
            return new Result(null, Objects.requireNonNull(failure, "failure"));
        }

        /** Runs {@code append}: its outcome, or what it threw. */
        public static Result of(Supplier<AppendOutcome> append) {
            try {
                return appended(append.get());
            } catch (RuntimeException e) {
                return failed(e);
            }
        }

        /** Whether the append wrote events (not only repeats): readers waiting for new events want to hear of it. */
        public boolean wroteEvents() {
            return outcome != null && !outcome.stored().isEmpty();
        }
    }

    /** The longest a group waits for its appends: a group that was slow because it was stuck says little. */
    private static final long MAX_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Writer writer;
    private final int maxEvents;
    private final Supplier<? extends RuntimeException> closedFailure;
    private final Waits waits;
    private final ReentrantLock lock = new ReentrantLock();
    /** Appends waiting for a group; guarded by {@link #lock}. Not empty only while {@link #writing}. */
    private final ArrayDeque<Member> queue = new ArrayDeque<>();
    /** Whether some thread is writing a group or has been told to write the next; guarded by {@link #lock}. */
    private boolean writing;
    private boolean closed;
    /** The events of the appends in {@link #queue}; guarded by {@link #lock}. */
    private int queuedEvents;
    /** How many appends the last group written held; guarded by {@link #lock}. */
    private int lastGroupSize = 1;
    /** Until when the next group waits for {@link #lastGroupSize} appends; guarded by {@link #lock}. */
    private long gatherUntilNanos;
    /** The thread waiting for the next group to fill up, woken when it has; guarded by {@link #lock}. */
    private @Nullable Thread gatherer;

    /**
     * @param writer        writes each group
     * @param maxEvents     the most events a group gathers (a larger append still goes, alone)
     * @param closedFailure the exception an append gets once {@link #close()} has run
     */
    public GroupCommit(Writer writer, int maxEvents, Supplier<? extends RuntimeException> closedFailure) {
        this(writer, maxEvents, closedFailure, Waits.SYSTEM);
    }

    /** As the public constructor, reading the time and parking through {@code waits}. */
    GroupCommit(Writer writer, int maxEvents, Supplier<? extends RuntimeException> closedFailure, Waits waits) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1, was " + maxEvents);
        }
        this.writer = Objects.requireNonNull(writer, "writer");
        this.maxEvents = maxEvents;
        this.closedFailure = Objects.requireNonNull(closedFailure, "closedFailure");
        this.waits = Objects.requireNonNull(waits, "waits");
        this.gatherUntilNanos = waits.nanoTime();
    }

    /**
     * Appends {@code request} in the next group and returns its outcome once the group is written.
     *
     * @throws RuntimeException what the writer reported for this append, or threw for its group
     */
    public AppendOutcome append(AppendRequest request) {
        Member member = new Member(Objects.requireNonNull(request, "request"), Thread.currentThread());
        Thread filled = null;
        lock.lock();
        try {
            if (closed) {
                throw closedFailure.get();
            }
            queue.addLast(member);
            queuedEvents += request.events().size();
            if (!writing) {
                writing = true;
                member.state = Member.LEADS;
            } else if (nextGroupFilled()) {
                filled = gatherer;
                gatherer = null;
            }
        } finally {
            lock.unlock();
        }
        if (filled != null) {
            LockSupport.unpark(filled);
        }
        boolean interrupted = false;
        while (true) {
            int state = member.state;
            if (state == Member.DONE) {
                break;
            }
            if (state == Member.LEADS) {
                interrupted |= gather();
                // The caller's own interrupt must not fail the other appends of the group it writes.
                interrupted |= Thread.interrupted();
                writeGroup();
                continue;
            }
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable failure = member.failure;
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new IllegalStateException("Writing this append's group failed: " + failure, failure);
        }
        return Objects.requireNonNull(member.outcome);
    }

    /**
     * Refuses appends from now on, including those queued and not yet in a group; a group being written runs to
     * its end. Idempotent.
     */
    public void close() {
        List<Member> refused;
        lock.lock();
        try {
            closed = true;
            refused = new ArrayList<>(queue);
            queue.clear();
            queuedEvents = 0;
        } finally {
            lock.unlock();
        }
        // A leader waiting for its group to fill up is among the refused, and finishing it wakes it.
        for (Member member : refused) {
            member.finish(null, closedFailure.get());
        }
    }

    /**
     * Takes the queued appends as a group, writes it and tells its callers; then hands the writing on to the oldest
     * append queued meanwhile, or, if none is, to the next append to come. Telling the callers first lets them queue
     * their next appends before the next group is taken: handing on first made groups smaller, and eight threads
     * on SQLite appended 10 to 30 % fewer events.
     */
    private void writeGroup() {
        List<Member> group = List.of();
        List<Result> results = null;
        Throwable failure = null;
        long writeNanos = 0;
        try {
            group = takeGroup();
            if (!group.isEmpty()) {
                long began = waits.nanoTime();
                try {
                    results = write(group);
                } finally {
                    writeNanos = waits.nanoTime() - began;
                }
            }
        } catch (Throwable e) {
            failure = e;
        }
        try {
            for (int i = 0; i < group.size(); i++) {
                Member member = group.get(i);
                if (failure == null) {
                    Result result = Objects.requireNonNull(results).get(i);
                    member.finish(result.outcome(), result.failure());
                } else if (failure instanceof Error error && member.thread != Thread.currentThread()) {
                    // An Error is the writing thread's own trouble; the others get it wrapped, so none rethrows it.
                    member.finish(null, new IllegalStateException("Writing this append's group failed: " + error,
                            error));
                } else {
                    member.finish(null, failure);
                }
            }
        } finally {
            handOn(group.size(), writeNanos);
        }
    }

    /**
     * Waits until the next group has filled up ({@link #nextGroupFilled}), until {@link #gatherUntilNanos}, or until
     * the store closes. Returns whether the caller was interrupted meanwhile, its interrupt status cleared so that
     * the wait goes on.
     */
    private boolean gather() {
        boolean interrupted = false;
        lock.lock();
        try {
            while (!nextGroupFilled() && !closed) {
                long left = gatherUntilNanos - waits.nanoTime();
                if (left <= 0) {
                    break;
                }
                gatherer = Thread.currentThread();
                lock.unlock();
                try {
                    waits.parkNanos(this, left);
                    interrupted |= Thread.interrupted();
                } finally {
                    lock.lock();
                }
            }
            gatherer = null;
        } finally {
            lock.unlock();
        }
        return interrupted;
    }

    /** Whether as many appends are queued as the last group held, or as many events as a group takes. */
    private boolean nextGroupFilled() {
        return queue.size() >= lastGroupSize || queuedEvents >= maxEvents;
    }

    /** The appends queued now, oldest first, up to {@link #maxEvents} events (at least one append). */
    private List<Member> takeGroup() {
        List<Member> group = new ArrayList<>();
        lock.lock();
        try {
            int events = 0;
            while (!queue.isEmpty()
                    && (group.isEmpty() || events + queue.peekFirst().request.events().size() <= maxEvents)) {
                Member next = queue.pollFirst();
                queuedEvents -= next.request.events().size();
                events += next.request.events().size();
                group.add(next);
            }
        } finally {
            lock.unlock();
        }
        return group;
    }

    /**
     * Notes the size of the group just written and how long its callers, told by now, have to come back (as long as
     * it took to write); then tells the oldest queued append to write the next group, or, if none is queued, ends the
     * writing. An empty group (the store closed meanwhile) leaves the notes as they were.
     */
    private void handOn(int groupSize, long writeNanos) {
        Member next;
        long now = waits.nanoTime();
        lock.lock();
        try {
            if (groupSize > 0) {
                lastGroupSize = groupSize;
                gatherUntilNanos = now + Math.min(writeNanos, MAX_GATHER_NANOS);
            }
            next = queue.peekFirst();
            if (next == null) {
                writing = false;
                return;
            }
            next.state = Member.LEADS;
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(next.thread);
    }

    private List<Result> write(List<Member> group) {
        List<AppendRequest> requests = new ArrayList<>(group.size());
        for (Member member : group) {
            requests.add(member.request);
        }
        List<Result> results = writer.write(requests);
        if (results.size() != group.size() || results.stream().anyMatch(Objects::isNull)) {
            throw new IllegalStateException("The writer returned " + results.size() + " results, or a null one, for "
                    + "a group of " + group.size() + " appends; this is a bug in the storage adapter");
        }
        return results;
    }

    /** How the wait for a group's appends reads the time and parks: the system's, or a test's. */
    interface Waits {

        Waits SYSTEM = new Waits() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void parkNanos(Object blocker, long nanos) {
                LockSupport.parkNanos(blocker, nanos);
            }
        };

        long nanoTime();

        /** Parks the calling thread for up to {@code nanos}, as {@link LockSupport#parkNanos(Object, long)}. */
        void parkNanos(Object blocker, long nanos);
    }

    /** One caller's append, from the time it queues until its outcome is known. */
    private static final class Member {

        static final int WAITS = 0;
        static final int LEADS = 1;
        static final int DONE = 2;

        final AppendRequest request;
        final Thread thread;
        /** Written under the lock or by the thread finishing it, read by the caller's thread. */
        volatile int state = WAITS;
        @Nullable AppendOutcome outcome;
        @Nullable Throwable failure;

        Member(AppendRequest request, Thread thread) {
            this.request = request;
            this.thread = thread;
        }

        /** Publishes the result (the volatile write of {@link #state} makes it visible) and wakes the caller. */
        void finish(@Nullable AppendOutcome outcome, @Nullable Throwable failure) {
            this.outcome = outcome;
            this.failure = failure;
            state = DONE;
            LockSupport.unpark(thread);
        }
    }
}
