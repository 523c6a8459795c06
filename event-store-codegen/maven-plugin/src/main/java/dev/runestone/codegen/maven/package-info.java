/**
 * The Maven plugin: goal {@code runestone:generate}, which runs {@link dev.runestone.codegen.EventCodeGenerator} over
 * a project's event configs before it compiles.
 */
@NullMarked
package dev.runestone.codegen.maven;

import org.jspecify.annotations.NullMarked;
