package dev.runestone.benchmarks;

import dev.runestone.EventStore;
import dev.runestone.LogPage;
import dev.runestone.postgres.PostgresStorage;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.sqlite.SqliteStorage;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * Catches up on a whole log with {@link EventStore#readLog} in pages of 1,000, decoding every event, and prints one
 * line: {@code events=<n> seconds=<s> peakHeapBytes=<b> maxHeapBytes=<b>}. Run in a child JVM with a small heap
 * by {@link Benchmarks}; arguments {@code sqlite <file>} or {@code postgres <jdbc url> <schema>}.
 */
public final class CatchUp {

    private CatchUp() {
    }

    /** Entry point of the child JVM. */
    public static void main(String[] args) {
        StorageAdapter adapter = args[0].equals("sqlite")
                ? SqliteStorage.file(Path.of(args[1]))
                : PostgresStorage.builder().jdbcUrl(args[1]).schema(args[2]).poolSize(2).build();
        long events = 0;
        long began = System.nanoTime();
        try (EventStore<UserEvent> store = EventStore.builder(UserEvent.REGISTRY, adapter).build()) {
            long position = 0;
            while (true) {
                LogPage<UserEvent> page = store.readLog(position, 1_000);
                if (page.isEmpty()) {
                    break;
                }
                events += page.events().size();
                position = page.lastPosition();
            }
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("events=" + events + " seconds=" + seconds + " peakHeapBytes=" + peak
                + " maxHeapBytes=" + Runtime.getRuntime().maxMemory());
    }
}
