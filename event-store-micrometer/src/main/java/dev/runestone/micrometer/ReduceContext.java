package dev.runestone.micrometer;

import dev.runestone.Target;
import io.micrometer.observation.Observation;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What {@link RunestoneObservation#REDUCE} observes: one reduce, and whether it started from a snapshot. */
public final class ReduceContext extends Observation.Context {

    private final String adapter;
    private final String reducer;
    private final Target target;
    private @Nullable Boolean snapshotHit;

    ReduceContext(String adapter, String reducer, Target target) {
        this.adapter = Objects.requireNonNull(adapter, "adapter");
        this.reducer = Objects.requireNonNull(reducer, "reducer");
        this.target = Objects.requireNonNull(target, "target");
    }

    /** The store's adapter: {@code sqlite}, {@code postgres}. */
    public String adapter() {
        return adapter;
    }

    /** The reducer's name. */
    public String reducer() {
        return reducer;
    }

    /** The stream or relation folded. */
    public Target target() {
        return target;
    }

    /** {@code hit} if the reduce started from a snapshot, {@code miss} if not, {@code unknown} before it knew. */
    public String snapshot() {
        Boolean hit = snapshotHit;
        return hit == null ? "unknown" : hit ? "hit" : "miss";
    }

    void snapshot(boolean hit) {
        this.snapshotHit = hit;
    }
}
