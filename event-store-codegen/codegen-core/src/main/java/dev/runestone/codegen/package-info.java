/**
 * Turns JSON event configs into Java sources: a sealed interface, a validated record per event type and a registry.
 *
 * <p>Start at {@link dev.runestone.codegen.EventCodeGenerator}. The Maven plugin and the annotation processor are thin
 * wrappers around it; use it directly from a build tool of your own.
 */
@NullMarked
package dev.runestone.codegen;

import org.jspecify.annotations.NullMarked;
