/**
 * The projector: handlers that turn stored events into read models and side effects.
 *
 * <p>Three kinds of handler differ in which events they take, after the original library's hydration rules:
 * {@code once} takes only new, up-to-date events; {@code on} also takes hydrated (replayed) events but never outdated
 * ones; {@code all} takes every event.
 */
@NullMarked
package dev.runestone.projector;

import org.jspecify.annotations.NullMarked;
