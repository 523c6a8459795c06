package dev.runestone.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.LogPage;
import dev.runestone.LogPartition;
import dev.runestone.UndecodableEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Checks that reading the log part by part gives every row exactly once: for an adapter's own tests of rows it
 * stored before it kept the part of each row, which only that adapter can make.
 */
public final class LogParts {

    private LogParts() {
    }

    /**
     * Reads the log of {@code store} up to {@code lastPosition} in {@code count} parts for each count given, a few
     * rows at a time, and asserts that the parts together hold the rows {@code ids}, each once, decodable or not.
     */
    public static void assertEachRowInExactlyOnePart(EventStore<?> store, List<UUID> ids, long lastPosition,
            int... counts) {
        for (int count : counts) {
            List<UUID> seen = new ArrayList<>();
            for (int index = 0; index < count; index++) {
                LogPartition part = new LogPartition(index, count);
                long after = 0;
                long deadline = System.nanoTime() + SuiteBase.PATIENCE.toNanos();
                while (after < lastPosition) {
                    LogPage<?> page = store.readLog(after, 5, part);
                    for (EventRecord<?> event : page.events()) {
                        assertThat(part.holds(event.stream())).as("%s in part %d of %d", event, index, count)
                                .isTrue();
                        seen.add(event.id());
                    }
                    for (UndecodableEvent row : page.undecodable()) {
                        assertThat(part.holds(row.stream())).as("%s in part %d of %d", row, index, count).isTrue();
                        seen.add(row.id());
                    }
                    if (page.lastPosition() == after) {
                        // PostgreSQL holds the log back while an older transaction anywhere on the server runs.
                        assertThat(System.nanoTime()).as("part %d of %d reaches %d", index, count, lastPosition)
                                .isLessThan(deadline);
                        LockSupport.parkNanos(5_000_000);
                    }
                    after = page.lastPosition();
                }
            }
            assertThat(seen).as("the rows of %d parts", count).containsExactlyInAnyOrderElementsOf(ids);
        }
    }
}
