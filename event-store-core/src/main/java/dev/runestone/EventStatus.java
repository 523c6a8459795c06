package dev.runestone;

/**
 * How an event arriving from another store relates to this one.
 *
 * @param exists   its id is already stored here
 * @param outdated its stream here already holds a newer event of the same type (by {@code created}); an event that
 *                 exists counts as outdated
 */
public record EventStatus(boolean exists, boolean outdated) {
}
