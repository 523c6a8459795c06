package dev.runestone.testkit.events;

/** Events of a post stream; posts are related to their author through relation keys. */
public sealed interface PostEvent extends TestEvent permits PostCreated {
}
