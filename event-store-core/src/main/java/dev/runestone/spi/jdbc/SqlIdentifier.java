package dev.runestone.spi.jdbc;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Validation of names that adapters splice into SQL, such as a table prefix or schema name. Values always travel as
 * bound parameters; identifiers cannot, so they are held to a strict form instead. Stateless and thread-safe.
 */
public final class SqlIdentifier {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,39}");

    private SqlIdentifier() {
    }

    /**
     * Returns {@code name} if it is 1 to 40 characters of lower-case ASCII letters, digits and underscores, not
     * starting with a digit.
     *
     * @param name what to check
     * @param what what the name is for, used in the message, e.g. {@code "table prefix"}
     * @throws IllegalArgumentException naming the value and the allowed form
     */
    public static String requireValid(String name, String what) {
        Objects.requireNonNull(name, what);
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid " + what + " '" + name + "': use 1 to 40 lower-case letters, "
                    + "digits and underscores, starting with a letter or underscore.");
        }
        return name;
    }
}
