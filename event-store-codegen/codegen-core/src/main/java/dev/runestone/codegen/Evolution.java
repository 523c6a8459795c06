package dev.runestone.codegen;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runestone.codegen.Lock.LockedType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Holds the configs against the lock: takes in new types, new versions, compatible changes and retirements, and
 * reports what the lock forbids. Each version the lock holds stays readable: its schema may only change compatibly
 * while it is the latest, and never once a newer version exists, because upcasters bridge the versions and not
 * comparisons. Not thread-safe.
 */
final class Evolution {

    private final @Nullable Path lockPath;
    private final Problems problems;
    private Lock lock;
    private final List<LockChange> changes = new ArrayList<>();

    /**
     * @param lockPath the lock file, or {@code null} when the generator has none: then no type may have versions
     * @param lock     what the lock file holds; empty when it does not exist yet
     */
    Evolution(@Nullable Path lockPath, Lock lock, Problems problems) {
        this.lockPath = lockPath;
        this.lock = lock;
        this.problems = problems;
    }

    /**
     * Applies the events of the configs to the lock.
     *
     * @param events       the events whose configs have no problem, each type once
     * @param declared     every type string the configs declare, those with problems included
     * @param allDeclared  whether every config and every event's type string could be read, so that a type the
     *                     lock holds and {@code declared} lacks is known to be gone
     */
    void apply(List<NormalisedEvent> events, Set<String> declared, boolean allDeclared) {
        for (NormalisedEvent event : events) {
            if (event.retired()) {
                retire(event);
            } else {
                evolve(event);
            }
        }
        if (lockPath == null || !allDeclared) {
            return;
        }
        for (String type : lock.types()) {
            if (!declared.contains(type)) {
                problems.add(lockPath, "/events" + Problems.step(type), "breaking change [type-removed]: the lock "
                        + "holds \"" + type + "\", but no config declares it, and events of it may be stored; restore "
                        + "its config, or retire the type with {\"event\": {\"type\": \"" + type + "\", \"retired\": "
                        + "true}}");
            }
        }
    }

    /** The lock after the configs: what the lock file must hold. */
    Lock lock() {
        return lock;
    }

    /** What {@link #lock()} holds that the lock file does not, in the order of the configs. */
    List<LockChange> changes() {
        return List.copyOf(changes);
    }

    /** The locked schemas of the versions before {@code event}'s, which the generated upcasters read. */
    SortedMap<Integer, ObjectNode> olderVersions(NormalisedEvent event) {
        LockedType locked = lock.get(event.type());
        return locked == null ? new TreeMap<>() : locked.versions().headMap(event.version());
    }

    private void evolve(NormalisedEvent event) {
        String type = event.type();
        int version = event.version();
        String versionAt = event.source().pointer() + (event.source().node().has("version") ? "/version" : "");
        LockedType locked = lock.get(type);
        if (lockPath == null) {
            if (version > 1) {
                problem(event, versionAt, "version " + version + " needs a lock file, which holds the schemas of the "
                        + "versions before it; give the generator one");
            }
            return;
        }
        if (locked == null) {
            if (version > 1) {
                problem(event, versionAt, "the lock holds no version of \"" + type + "\", so version " + version
                        + " has no earlier schemas to read old events with; start at version 1, or restore the lock "
                        + "from version control");
                return;
            }
            lock = lock.with(type, LockedType.first(event.schema()));
            change(event, event.source().pointer(), "\"" + type + "\" version 1 [type-added]: adds the event type");
            return;
        }
        int latest = locked.latest();
        if (version < latest) {
            problem(event, versionAt, "the lock holds \"" + type + "\" up to version " + latest + ", and a type's "
                    + "version never goes down; set \"version\" to " + latest);
            return;
        }
        if (version > latest + 1) {
            problem(event, versionAt, "the lock holds \"" + type + "\" up to version " + latest + ", so the next "
                    + "version is " + (latest + 1) + ", not " + version + ": each version needs its schema in the "
                    + "lock and its step in the upcaster");
            return;
        }
        if (locked.retired()) {
            locked = locked.retired(false);
            change(event, event.source().pointer(), "\"" + type + "\" [type-revived]: declares the retired type "
                    + "again");
        }
        if (version == latest + 1) {
            lock = lock.with(type, locked.with(version, event.schema()));
            change(event, versionAt, "\"" + type + "\" version " + version + " [version-added]: adds version "
                    + version + "; version " + latest + " stays locked as it is, read through "
                    + upcaster(event) + ".fromV" + latest);
            return;
        }
        ObjectNode lockedSchema = locked.versions().get(version);
        List<Compatibility.Change> compared = Compatibility.compare(lockedSchema, event, version);
        List<Compatibility.Change> breaking = compared.stream().filter(Compatibility.Change::breaking).toList();
        if (!breaking.isEmpty()) {
            for (Compatibility.Change change : breaking) {
                problem(event, change.pointer(), "breaking change to \"" + type + "\" version " + version + " ["
                        + change.rule() + "]: " + change.detail() + "; bump \"version\" to " + (version + 1)
                        + " and implement " + upcaster(event) + ".fromV" + version);
            }
            return;
        }
        if (Lock.canonical(lockedSchema).equals(Lock.canonical(event.schema()))) {
            lock = lock.with(type, locked);
            return;
        }
        lock = lock.with(type, locked.with(version, event.schema()));
        String prefix = "\"" + type + "\" version " + version + " [";
        for (Compatibility.Change change : compared) {
            change(event, change.pointer(), prefix + change.rule() + "]: " + change.detail());
        }
        if (compared.isEmpty()) {
            change(event, event.source().pointer(), prefix + "same-meaning]: rewrites the schema without changing "
                    + "what it accepts");
        }
    }

    private void retire(NormalisedEvent event) {
        String type = event.type();
        String retiredAt = event.source().pointer() + "/retired";
        LockedType locked = lock.get(type);
        if (lockPath == null) {
            problem(event, retiredAt, "retiring a type needs a lock file, which holds its versions; give the "
                    + "generator one");
            return;
        }
        if (locked == null) {
            problem(event, retiredAt, "the lock holds no version of \"" + type + "\", so there is nothing to retire; "
                    + "delete the config");
            return;
        }
        if (!locked.retired()) {
            lock = lock.with(type, locked.retired(true));
            change(event, retiredAt, "\"" + type + "\" [type-retired]: retires the event type; the lock keeps "
                    + (locked.latest() == 1 ? "its version 1" : "its versions 1 to " + locked.latest()));
        }
    }

    /** The generated interface that reads the type's older versions. */
    static String upcaster(NormalisedEvent event) {
        return event.className() + "Upcaster";
    }

    private void change(NormalisedEvent event, String pointer, String message) {
        changes.add(new LockChange(event.source().file().path(), pointer, message));
    }

    private void problem(NormalisedEvent event, String pointer, String message) {
        problems.add(event.source().file().path(), pointer, message);
    }
}
