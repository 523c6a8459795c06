package dev.runestone.projector;

/**
 * Where an event handed to the projector comes from.
 *
 * @param hydrated the event is replayed or imported, not newly appended here
 * @param outdated a newer event of the same type already exists in its stream
 */
public record ProjectionStatus(boolean hydrated, boolean outdated) {

    /** A new event, just appended to this store. */
    public static final ProjectionStatus LIVE = new ProjectionStatus(false, false);

    /** A replayed or imported event that is up to date. */
    public static final ProjectionStatus HYDRATED = new ProjectionStatus(true, false);

    /** A replayed or imported event that a newer one of its type has superseded. */
    public static final ProjectionStatus OUTDATED = new ProjectionStatus(true, true);
}
