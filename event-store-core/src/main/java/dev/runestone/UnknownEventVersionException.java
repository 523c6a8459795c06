package dev.runestone;

import dev.runestone.EventValidationException.Violation;
import java.util.List;

/**
 * A stored event of a version newer than the registry knows: written by a newer version of the service, or imported
 * from a store that runs one. Nothing is wrong with the event; this reader is behind. A durable subscription parks it,
 * and retrying it after a deployment that knows the version delivers it.
 */
public final class UnknownEventVersionException extends EventDecodingException {

    private static final long serialVersionUID = 1L;

    private final String type;
    private final int version;
    private final int knownVersion;

    public UnknownEventVersionException(String message, String type, int version, int knownVersion) {
        super(message, List.of(new Violation("version", "knownVersion", "is " + version + ", but the registry knows "
                + type + " up to version " + knownVersion)), null);
        this.type = type;
        this.version = version;
        this.knownVersion = knownVersion;
    }

    /** The event's type string. */
    public String type() {
        return type;
    }

    /** The version the event was stored at. */
    public int version() {
        return version;
    }

    /** The newest version of the type the registry knows. */
    public int knownVersion() {
        return knownVersion;
    }
}
