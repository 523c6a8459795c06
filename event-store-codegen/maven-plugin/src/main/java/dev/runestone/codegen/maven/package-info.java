/**
 * The Maven plugin: goal {@code runestone:generate}, which runs {@link dev.runestone.codegen.EventCodeGenerator} over
 * a project's event configs before it compiles and keeps the lock file, and goal {@code runestone:check}, which fails
 * a build whose lock file is not up to date.
 */
@NullMarked
package dev.runestone.codegen.maven;

import org.jspecify.annotations.NullMarked;
