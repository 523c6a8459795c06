package dev.runestone.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.spi.StoredEvent;
import dev.runestone.testkit.process.ChildJvms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends across a SIGKILL: {@link AppendingChild} appends to a SQLite file from many threads until the test kills it
 * with appends in flight; then the test opens the file and checks what it kept. With coalesced appends, the appends
 * of a group share one transaction, each in a savepoint of its own, and the kill must leave no group half-written.
 *
 * <p>Which appends shared a group leaves no trace in the file, so the checks are about what each caller can tell:
 *
 * <ul>
 *   <li>the file passes SQLite's {@code PRAGMA integrity_check};</li>
 *   <li>every append that returned is stored, at the positions its outcome reported;</li>
 *   <li>every append found in the file is whole: all its events, in its stream, at consecutive versions in its
 *       order. Appends stored but not journaled can only be those in flight at the kill, at most one per thread;</li>
 *   <li>no append refused for a broken expectation is stored, and none failed for another reason;</li>
 *   <li>each stream's versions run 1, 2, 3… in log order, without gaps;</li>
 *   <li>the log read through {@code readLog} holds each row of the events table exactly once, in position order.</li>
 * </ul>
 *
 * <p>When a test fails, its directory with the child's log, journal and database stays for a look; the failure
 * message names it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteKillTest {

    private static final int KILLS = 10;
    /** Enough appends over that every thread is under way, and groups have formed, before the kill. */
    private static final int OVER_BEFORE_THE_KILL = 300;
    /** Generous: a test that waits less on a slow machine only fails. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Pattern DATA =
            Pattern.compile("\\{\"append\":\"([0-9a-f-]{36})\",\"index\":(\\d+),\"of\":(\\d+)}");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path directory;

    @Nested
    class With_coalesced_appends {

        @Test
        void ten_kills_with_groups_in_flight_keep_every_append_that_returned_and_no_part_of_one() throws Exception {
            for (int kill = 1; kill <= KILLS; kill++) {
                killAndCheck(Files.createDirectory(directory.resolve("kill-" + kill)), true);
            }
        }
    }

    @Nested
    class With_appends_one_at_a_time {

        @Test
        void a_kill_keeps_every_append_that_returned_and_no_part_of_one() throws Exception {
            killAndCheck(directory, false);
        }
    }

    /** Runs a child writing to a fresh file in {@code run}, kills it part way through, and checks the file. */
    private static void killAndCheck(Path run, boolean coalesceAppends) throws Exception {
        Path file = run.resolve("events.db");
        Path journalFile = run.resolve("journal.txt");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (ChildJvms children = new ChildJvms(run)) {
            Process child = children.start(AppendingChild.class,
                    AppendingChild.arguments(file, journalFile, coalesceAppends));
            // A different count and pause each time, so that the kills fall at different points of a group.
            awaitLines(journalFile, OVER_BEFORE_THE_KILL + random.nextInt(OVER_BEFORE_THE_KILL), child, run);
            Thread.sleep(random.nextInt(20));
            children.kill(child);
        }

        Set<UUID> rows = new HashSet<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            assertThat(strings(statement, "PRAGMA integrity_check")).as("integrity check of %s", file)
                    .containsExactly("ok");
            strings(statement, "SELECT id FROM runestone_events").forEach(id -> rows.add(UUID.fromString(id)));
        }
        List<StoredEvent> log;
        try (SqliteStorage storage = SqliteStorage.file(file)) {
            log = storage.readLog(0, Integer.MAX_VALUE);
        }
        Journal journal = Journal.read(journalFile);

        assertThat(log).extracting(StoredEvent::id).as("ids in the log of %s", file).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(rows);
        assertThat(log).extracting(StoredEvent::position).as("positions in the log of %s", file).isSorted()
                .doesNotHaveDuplicates();
        assertThat(gapsInStreams(log)).as("streams whose versions do not run 1, 2, 3… in %s", file).isEmpty();

        Map<UUID, List<StoredEvent>> stored = byAppend(log);
        assertThat(partial(stored)).as("appends stored in part in %s", file).isEmpty();
        List<String> lost = new ArrayList<>();
        journal.appended().forEach((append, reported) -> {
            List<String> found = stored.getOrDefault(append, List.of()).stream()
                    .map(event -> event.id() + "@" + event.position()).toList();
            if (!found.equals(reported)) {
                lost.add(append + " returned " + reported + " but the file holds " + found);
            }
        });
        assertThat(lost).as("appends that returned and are not stored as reported in %s", file).isEmpty();
        assertThat(journal.refused()).as("appends refused for a broken expectation and yet stored in %s", file)
                .doesNotContainAnyElementsOf(stored.keySet());
        assertThat(journal.failed()).as("appends failed for other reasons in %s", file).isEmpty();
        assertThat(stored.keySet().stream().filter(append -> !journal.appended().containsKey(append)).toList())
                .as("appends stored but not journaled, which only those in flight at the kill may be, in %s", file)
                .hasSizeLessThanOrEqualTo(AppendingChild.THREADS);
    }

    /** Waits until {@code journal} has {@code count} lines, failing if the child ends or the wait takes too long. */
    private static void awaitLines(Path journal, int count, Process child, Path run)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!Files.exists(journal) || Files.readString(journal).lines().count() < count) {
            assertThat(child.isAlive()).as("the child is still running; its log is in %s", run).isTrue();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + PATIENCE.toSeconds() + " s in vain for " + count
                        + " appends to be over; the child's log and journal are in " + run);
            }
            Thread.sleep(10);
        }
    }

    /** The events of each append, by the append named in their data, in log order. */
    private static Map<UUID, List<StoredEvent>> byAppend(List<StoredEvent> log) {
        Map<UUID, List<StoredEvent>> appends = new LinkedHashMap<>();
        for (StoredEvent event : log) {
            appends.computeIfAbsent(Part.of(event).append(), append -> new ArrayList<>()).add(event);
        }
        return appends;
    }

    /**
     * The appends not stored whole: each event's index must be its place among the append's events in the log, all
     * of them there, in one stream, at consecutive versions.
     */
    private static List<String> partial(Map<UUID, List<StoredEvent>> appends) {
        List<String> partial = new ArrayList<>();
        appends.forEach((append, events) -> {
            StoredEvent first = events.getFirst();
            for (int i = 0; i < events.size(); i++) {
                StoredEvent event = events.get(i);
                Part part = Part.of(event);
                if (part.index() != i || part.of() != events.size() || !event.stream().equals(first.stream())
                        || event.version() != first.version() + i) {
                    partial.add(append + ": " + events.stream().map(stored -> stored.stream() + " v"
                            + stored.version() + " " + stored.data()).toList());
                    break;
                }
            }
        });
        return partial;
    }

    /** The streams whose versions, in log order, are not 1, 2, 3…, each with its versions. */
    private static List<String> gapsInStreams(List<StoredEvent> log) {
        Map<String, List<Long>> versions = new LinkedHashMap<>();
        for (StoredEvent event : log) {
            versions.computeIfAbsent(event.stream(), stream -> new ArrayList<>()).add(event.version());
        }
        List<String> gaps = new ArrayList<>();
        versions.forEach((stream, inLogOrder) -> {
            for (int i = 0; i < inLogOrder.size(); i++) {
                if (inLogOrder.get(i) != i + 1) {
                    gaps.add(stream + ": " + inLogOrder);
                    break;
                }
            }
        });
        return gaps;
    }

    private static List<String> strings(Statement statement, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** What an event's data says of its append: see {@link AppendingChild#data}. */
    private record Part(UUID append, int index, int of) {

        static Part of(StoredEvent event) {
            Matcher data = DATA.matcher(String.valueOf(event.data()));
            if (!data.matches()) {
                throw new AssertionError("Event " + event.id() + " has data the child does not write: "
                        + event.data());
            }
            return new Part(UUID.fromString(data.group(1)), Integer.parseInt(data.group(2)),
                    Integer.parseInt(data.group(3)));
        }
    }

    /**
     * The child's journal: the appends that returned, each with the {@code id@position} of the events its outcome
     * reported stored; those refused for a broken expectation; the lines of those that failed otherwise.
     */
    private record Journal(Map<UUID, List<String>> appended, Set<UUID> refused, List<String> failed) {

        static Journal read(Path file) throws IOException {
            Map<UUID, List<String>> appended = new LinkedHashMap<>();
            Set<UUID> refused = new HashSet<>();
            List<String> failed = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String[] words = line.split(" ");
                UUID append = UUID.fromString(words[1]);
                switch (words[0]) {
                    case AppendingChild.APPENDED -> appended.put(append,
                            Arrays.asList(words).subList(2, words.length));
                    case AppendingChild.REFUSED -> refused.add(append);
                    default -> failed.add(line);
                }
            }
            return new Journal(appended, refused, failed);
        }
    }
}
