/**
 * The annotation processor: {@link dev.runestone.codegen.processor.GenerateEvents} on a package or type makes javac
 * generate the event records from JSON configs, for builds without the Maven plugin and for IDEs.
 */
@NullMarked
package dev.runestone.codegen.processor;

import org.jspecify.annotations.NullMarked;
