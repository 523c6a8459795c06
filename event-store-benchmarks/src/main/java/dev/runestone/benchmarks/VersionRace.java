package dev.runestone.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writers racing for the versions of a few shared streams, beside as many appending to streams of their own. Every
 * other thread is a racer: it appends to one of the shared streams expecting the version it last saw and, when it
 * loses, learns the winner's version from the {@code ConcurrencyException} and tries again. Only stored events
 * count. {@link #check} then proves that every version had exactly one winner: the wins counted are the versions the
 * streams reached, no more (two winners of one version) and no fewer (a winner whose event was lost).
 */
final class VersionRace {

    private final String prefix;
    private final int streams;
    private final Map<String, AtomicLong> wins = new ConcurrentHashMap<>();
    private final AtomicLong threadNumbers = new AtomicLong();
    private final ThreadLocal<Long> threadNumber = ThreadLocal.withInitial(threadNumbers::getAndIncrement);
    /** The version each racer last saw of each stream; each round's threads start knowing nothing. */
    private final ThreadLocal<Map<String, Long>> seen = ThreadLocal.withInitial(HashMap::new);

    VersionRace(String prefix, int streams) {
        this.prefix = prefix;
        this.streams = streams;
    }

    Pair.Work work() {
        return (side, n) -> {
            long thread = threadNumber.get();
            if (thread % 2 == 1) {
                side.appendOne(prefix + "-own-" + n, n);
                return 1;
            }
            String stream = stream(side, (int) (thread / 2 % streams));
            long after = side.appendExpecting(stream, seen.get().getOrDefault(stream, 0L), n);
            seen.get().put(stream, Math.abs(after));
            if (after > 0) {
                wins.computeIfAbsent(side.name(), name -> new AtomicLong()).incrementAndGet();
                return 1;
            }
            return 0;
        };
    }

    /** Fails unless the versions {@code side}'s shared streams reached are exactly the wins its racers counted. */
    void check(RunestoneWorkload side) {
        long versions = 0;
        for (int i = 0; i < streams; i++) {
            versions += side.version(stream(side, i));
        }
        long won = wins.getOrDefault(side.name(), new AtomicLong()).get();
        if (versions != won) {
            throw new IllegalStateException(side.name() + "'s racers won " + won + " appends, but the shared streams "
                    + "hold " + versions + " versions: a version had more than one winner, or a win was lost");
        }
        System.out.printf("%s: %,d versions raced for, each won once%n", side.name(), won);
    }

    private String stream(Workload side, int index) {
        return prefix + "-" + side.name() + "-" + index;
    }
}
