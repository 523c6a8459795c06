/**
 * The events the conformance suites write: a small user and post domain after the original library's examples.
 *
 * <p>The sealed interface {@code TestEvent}, its records and its registry are generated at build time from the JSON
 * configs in {@code src/main/events} ({@code user-created.json} is the original library's own). Their compact
 * constructors check the configs' rules and throw {@link dev.runestone.EventValidationException}.
 * {@link dev.runestone.testkit.events.TestEvents} adds short factories and a registry with one rule the configs
 * leave out.
 */
@NullMarked
package dev.runestone.testkit.events;

import org.jspecify.annotations.NullMarked;
