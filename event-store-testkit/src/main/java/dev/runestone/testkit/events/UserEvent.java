package dev.runestone.testkit.events;

/** Events of a user stream. */
public sealed interface UserEvent extends TestEvent
        permits UserCreated, UserGivenNameSet, UserEmailSet, UserActivated {
}
