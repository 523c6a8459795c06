/**
 * The events the conformance suites write: a small user and post domain after the original library's examples.
 *
 * <p>Hand-written the way generated event records look: a sealed hierarchy of records whose compact constructors
 * check their rules and throw {@link dev.runestone.EventValidationException}, and a registry,
 * {@link dev.runestone.testkit.events.TestEvents#registry()}, that adds one rule the constructors leave out.
 */
@NullMarked
package dev.runestone.testkit.events;

import org.jspecify.annotations.NullMarked;
