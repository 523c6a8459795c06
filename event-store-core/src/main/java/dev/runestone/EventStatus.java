package dev.runestone;

/**
 * How an event arriving from another store relates to this one.
 *
 * <p>An event that exists here is always outdated, whatever its age, even when it is the newest of its type in its
 * stream: it took effect here when it was stored, and importing it again changes nothing. So a caller that acts
 * only on events that are not outdated never acts on one twice.
 *
 * @param exists   its id is already stored here
 * @param outdated it exists, or its stream here holds a newer event of the same type (by {@code created})
 */
public record EventStatus(boolean exists, boolean outdated) {
}
