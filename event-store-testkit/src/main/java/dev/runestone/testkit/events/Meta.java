package dev.runestone.testkit.events;

/**
 * Who caused an event; the {@code meta} of every test event that has one.
 *
 * @param auditor the person or process responsible, required
 */
public record Meta(String auditor) {
}
