package dev.runestone.micrometer;

import dev.runestone.instrumentation.Read;
import io.micrometer.observation.Observation;
import java.util.Locale;
import java.util.Objects;

/** What {@link RunestoneObservation#READ} observes: one read of a store. */
public final class ReadContext extends Observation.Context {

    private final String adapter;
    private final Read read;

    ReadContext(String adapter, Read read) {
        this.adapter = Objects.requireNonNull(adapter, "adapter");
        this.read = Objects.requireNonNull(read, "read");
    }

    /** The store's adapter: {@code sqlite}, {@code postgres}. */
    public String adapter() {
        return adapter;
    }

    /** The kind of read. */
    public Read read() {
        return read;
    }

    /** The kind of read in lower case, as tagged: {@code streams}, {@code log}, … */
    public String readName() {
        return read.name().toLowerCase(Locale.ROOT);
    }
}
