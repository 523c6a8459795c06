package dev.runestone.codegen;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What the generator made from a set of configs.
 *
 * @param files   the Java sources: the sealed interface, its registry and one record per event type, and for types with
 *                versions the records of their older versions and the upcaster interfaces, ordered by name
 * @param schemas the normalised JSON Schema of each event type, keyed and ordered by type string; the one schema
 *                that both the Java types and their validation were generated from
 * @param lock    the lock file as the configs need it, to write or to check; {@code null} when the generator has no
 *                lock (only configs held in memory, and no lock file set)
 */
public record GeneratedSources(List<GeneratedFile> files, Map<String, String> schemas, @Nullable LockFile lock) {

    public GeneratedSources {
        files = List.copyOf(Objects.requireNonNull(files, "files"));
        schemas = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(schemas, "schemas")));
    }
}
