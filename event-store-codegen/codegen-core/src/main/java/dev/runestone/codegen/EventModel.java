package dev.runestone.codegen;

import com.palantir.javapoet.ClassName;
import org.jspecify.annotations.Nullable;

/**
 * One event type, ready to be written as a record.
 *
 * @param type        the type string, e.g. {@code user:created}
 * @param className   the record's class, e.g. {@code UserCreated}
 * @param description the event's description, for the javadoc
 * @param deprecated  whether the event type is deprecated
 * @param data        the schema of {@code data}, or {@code null} if the event has none
 * @param meta        the schema of {@code meta}, or {@code null} if the event has none
 * @param dataDescription the description of {@code data}, for the javadoc
 * @param metaDescription the description of {@code meta}, for the javadoc
 * @param configName  the config file it came from, relative to its input folder
 * @param schema      the normalised JSON Schema of the event
 */
record EventModel(String type, ClassName className, @Nullable String description, boolean deprecated,
        @Nullable ValueModel data, @Nullable ValueModel meta, @Nullable String dataDescription,
        @Nullable String metaDescription, String configName, String schema) {
}
