package dev.runestone.micrometer;

/**
 * The meters a {@link MicrometerInstrumentation} registers itself in its {@code MeterRegistry}, beside the timers
 * its observations make ({@link RunestoneObservation}). Without a {@code MeterRegistry} there are none of these.
 * Every one is tagged {@code adapter}; the subscription meters also {@code subscription}.
 */
public final class RunestoneMeters {

    /** Distribution summary: how many events each append held, whatever its outcome. */
    public static final String APPEND_EVENTS = "runestone.append.events";

    /**
     * Distribution summary: how many appends each group of coalesced appends held, an append written alone counting
     * as a group of one. Only a store whose adapter coalesces appends (the default) reports it.
     */
    public static final String APPEND_GROUP = "runestone.append.group";

    /** Gauge: the events after a subscription's checkpoint, counted up to {@value #LAG_LIMIT}. */
    public static final String SUBSCRIPTION_LAG_EVENTS = "runestone.subscription.lag.events";

    /**
     * Time gauge, in seconds: how long ago the oldest event a subscription has not handled was recorded; zero when
     * it has handled everything. It grows while a subscription is stuck, even when nothing new is appended.
     */
    public static final String SUBSCRIPTION_LAG_TIME = "runestone.subscription.lag.time";

    /**
     * Counter, tagged {@code event.type}: attempts at an event after the first (its handler or the database failed).
     */
    public static final String SUBSCRIPTION_RETRIES = "runestone.subscription.retries";

    /**
     * Counter, tagged {@code event.type} and {@code reason} ({@code failed}: every attempt failed;
     * {@code undecodable}: the row could not be decoded): events this instance parked.
     */
    public static final String SUBSCRIPTION_PARKED = "runestone.subscription.parked";

    /** Counter: partition leases this instance took. */
    public static final String SUBSCRIPTION_LEASES_ACQUIRED = "runestone.subscription.lease.acquired";

    /** Counter: partition leases this instance lost without giving them up (taken over, or run out). */
    public static final String SUBSCRIPTION_LEASES_LOST = "runestone.subscription.lease.lost";

    /**
     * Timer: how long a reader of the log waited while committed events were held back by a transaction in flight
     * (PostgreSQL's gap-free order; see {@code docs/postgres.md}). Only the PostgreSQL adapter reports it.
     */
    public static final String LOG_GAP_WAIT = "runestone.log.gap.wait";

    /** The most events the lag gauge counts: each reading reads up to this many rows of the log. */
    public static final int LAG_LIMIT = 10_000;

    private RunestoneMeters() {
    }
}
