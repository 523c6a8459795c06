package dev.runestone.codegen.processor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Generates a sealed event interface, a validated record per event type and a registry from JSON event configs when
 * javac compiles the annotated package or type. Usually placed on a {@code package-info.java}:
 *
 * <pre>{@code
 * @GenerateEvents(interfaceName = "UserEvent")
 * package com.example.events;
 *
 * import dev.runestone.codegen.processor.GenerateEvents;
 * }</pre>
 *
 * <p>A relative config path is looked up from the annotated source file's folder upwards, so
 * {@code src/main/events} is found from anywhere below the project folder; the processor option
 * {@code -Arunestone.basedir=<folder>} resolves relative paths against that folder instead. Javac does not watch the
 * configs: after editing one, rebuild (or touch the annotated file) to regenerate.
 *
 * <p>The lock file, {@code runestone.lock.json} beside the configs unless {@link #lockFile()} says otherwise, is the
 * one the Maven plugin keeps: the processor writes it when the configs add to it, except under continuous
 * integration (or with {@code -Arunestone.updateLock=false}), where a lock that is not up to date is a compiler
 * error.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target({ElementType.PACKAGE, ElementType.TYPE})
public @interface GenerateEvents {

    /** The simple name of the generated sealed interface, e.g. {@code UserEvent}. */
    String interfaceName();

    /** The package of the generated types; by default the package of the annotated element. */
    String packageName() default "";

    /** The config folders or files; every {@code .json} file below a folder is read. */
    String[] configs() default "src/main/events";

    /**
     * The lock file; by default {@code runestone.lock.json} in the first config folder. A relative path is resolved
     * against the folder the first config path was found from.
     */
    String lockFile() default "";
}
