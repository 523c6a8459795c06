package dev.runestone.sqlite;

import dev.runestone.ConcurrencyException;
import dev.runestone.ExpectedVersion;
import dev.runestone.spi.AppendOutcome;
import dev.runestone.spi.AppendRequest;
import dev.runestone.spi.NewEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The writer that {@link SqliteKillTest} kills: {@value #THREADS} threads append to one SQLite file through one
 * {@link SqliteStorage} as fast as they can, so that appends queue behind the one being written and coalesce into
 * groups, until the process is killed.
 *
 * <p>Each append holds 1 to {@value #MOST_EVENTS} events of one stream. Half go to the thread's own stream; the other
 * half to one of {@value #SHARED_STREAMS} shared streams, expecting the version read just before, so that some
 * expectations break, often inside a group whose other appends succeed. Each event's data names its append, its
 * index in it and the append's size ({@link #data}), so that what is stored tells a whole append from part of one.
 *
 * <p>The journal gets one line per append after its call has returned or thrown, in one {@code write} call: a line
 * means the call was over. {@code appended <append> <id>@<position> …} lists what the outcome reported stored;
 * {@code refused <append>} is a broken expectation; {@code failed <append> <exception>} is anything else. Arguments:
 * the database file, the journal file, and whether the storage coalesces appends.
 */
final class AppendingChild {

    static final int THREADS = 16;
    static final int SHARED_STREAMS = 4;
    static final int MOST_EVENTS = 5;
    static final String APPENDED = "appended";
    static final String REFUSED = "refused";
    static final String FAILED = "failed";

    private static final AtomicLong CLOCK = new AtomicLong();

    private AppendingChild() {
    }

    /** The arguments that start a child writing to {@code file} and journaling to {@code journal}. */
    static List<String> arguments(Path file, Path journal, boolean coalesceAppends) {
        return List.of(file.toString(), journal.toString(), Boolean.toString(coalesceAppends));
    }

    /** The data of event {@code index} of the {@code size} events of append {@code append}. */
    static String data(UUID append, int index, int size) {
        return "{\"append\":\"" + append + "\",\"index\":" + index + ",\"of\":" + size + "}";
    }

    public static void main(String[] args) throws Exception {
        SqliteStorage storage = SqliteStorage.builder().file(Path.of(args[0]))
                .coalesceAppends(Boolean.parseBoolean(args[2])).build();
        FileChannel journal = FileChannel.open(Path.of(args[1]),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        for (int t = 0; t < THREADS; t++) {
            String own = "own-" + t;
            Thread.ofPlatform().name("appender-" + t).start(() -> appendUntilKilled(storage, journal, own));
        }
        // The store and the journal stay open until the kill: closing them is not part of this test.
        Thread.currentThread().join();
    }

    private static void appendUntilKilled(SqliteStorage storage, FileChannel journal, String own) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long ownVersion = 0;
        while (true) {
            boolean shared = random.nextBoolean();
            String stream = shared ? "shared-" + random.nextInt(SHARED_STREAMS) : own;
            long expected = shared ? storage.streamVersion(stream) : ownVersion;
            UUID append = UUID.randomUUID();
            int size = 1 + random.nextInt(MOST_EVENTS);
            List<NewEvent> events = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                events.add(new NewEvent(UUID.randomUUID(), stream, "kill:appended", data(append, i, size), null,
                        String.format("2026-01-01T00:00:00.000Z-%012d", CLOCK.incrementAndGet())));
            }
            AppendRequest request = new AppendRequest(events, Map.of(stream, ExpectedVersion.exactly(expected)),
                    Instant.now().truncatedTo(ChronoUnit.MICROS));
            String line;
            try {
                AppendOutcome outcome = storage.append(request);
                line = APPENDED + " " + append + " " + outcome.stored().stream()
                        .map(event -> event.id() + "@" + event.position())
                        .collect(Collectors.joining(" "));
                if (!shared) {
                    ownVersion += outcome.stored().size();
                }
            } catch (ConcurrencyException e) {
                line = REFUSED + " " + append;
            } catch (RuntimeException e) {
                line = FAILED + " " + append + " " + e.toString().replace('\n', ' ');
            }
            write(journal, line);
        }
    }

    /** Writes {@code line} in one call, so that the kill leaves whole lines; the kernel keeps it once written. */
    private static void write(FileChannel journal, String line) {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            synchronized (journal) {
                while (bytes.hasRemaining()) {
                    journal.write(bytes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
