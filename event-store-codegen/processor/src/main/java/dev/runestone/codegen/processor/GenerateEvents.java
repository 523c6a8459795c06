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
}
