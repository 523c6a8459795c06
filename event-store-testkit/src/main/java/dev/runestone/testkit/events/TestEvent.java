package dev.runestone.testkit.events;

/** Every event the conformance suites write: user events and post events. */
public sealed interface TestEvent permits UserEvent, PostEvent {
}
