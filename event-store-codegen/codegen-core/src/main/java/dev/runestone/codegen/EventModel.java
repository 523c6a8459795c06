package dev.runestone.codegen;

import com.palantir.javapoet.ClassName;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One event type at one version, ready to be written as a record.
 *
 * @param type        the type string, e.g. {@code user:created}
 * @param version     the version of the type the record is, from 1
 * @param className   the record's class, e.g. {@code UserCreated}, or {@code versions.UserCreatedV1} for an older
 *                    version
 * @param description the event's description, for the javadoc
 * @param deprecated  whether the event type is deprecated
 * @param data        the schema of {@code data}, or {@code null} if the event has none
 * @param meta        the schema of {@code meta}, or {@code null} if the event has none
 * @param dataDescription the description of {@code data}, for the javadoc
 * @param metaDescription the description of {@code meta}, for the javadoc
 * @param configName  the config file it came from, relative to its input folder; the lock file's name for an older
 *                    version
 * @param schema      the normalised JSON Schema of the event
 * @param older       the records of the versions before this one, from version 1 up; empty for an older version
 */
record EventModel(String type, int version, ClassName className, @Nullable String description, boolean deprecated,
        @Nullable ValueModel data, @Nullable ValueModel meta, @Nullable String dataDescription,
        @Nullable String metaDescription, String configName, String schema, List<EventModel> older) {

    EventModel {
        older = List.copyOf(older);
    }

    /** Whether older versions of the type are read through upcasters. */
    boolean versioned() {
        return version > 1;
    }

    /** This model as the current version of its type, with the records of its older versions. */
    EventModel withOlder(List<EventModel> older) {
        return new EventModel(type, version, className, description, deprecated, data, meta, dataDescription,
                metaDescription, configName, schema, older);
    }
}
