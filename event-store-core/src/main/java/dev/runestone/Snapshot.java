package dev.runestone;

import dev.runestone.clock.HlcTimestamp;

/**
 * A reducer's state saved at a cursor, so a later reduce folds only the events after it.
 *
 * @param reducer the reducer's name
 * @param key     the stream id or relation key
 * @param cursor  the {@code created} timestamp of the last event folded in
 * @param version the highest stream version folded in (0 for a relation)
 * @param state   the state
 * @param <S>     the state type
 */
public record Snapshot<S>(String reducer, String key, HlcTimestamp cursor, long version, S state) {
}
