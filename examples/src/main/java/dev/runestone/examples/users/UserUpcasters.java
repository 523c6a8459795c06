package dev.runestone.examples.users;

import dev.runestone.examples.users.versions.UserCreatedV1;

/**
 * Reads the users that signed up before {@code user:created} went to version 2. Version 1 held the name as one string;
 * version 2 splits it into given and family names, so a stored {@code "Ada Lovelace"} reads as given {@code "Ada"},
 * family {@code "Lovelace"}.
 *
 * <p>The build generated {@link UserEventUpcasters} from the lock file and will not compile a registry without an
 * implementation of every step; this is the only one so far.
 */
final class UserUpcasters implements UserEventUpcasters {

    @Override
    public UserCreated fromV1(UserCreatedV1 event) {
        String[] names = event.data().name().strip().split("\\s+", 2);
        return new UserCreated(
                new UserCreated.Data(new UserCreated.Data.Name(names[0], names.length > 1 ? names[1] : ""),
                        event.data().email()),
                new UserCreated.Meta(event.meta().auditor()));
    }
}
