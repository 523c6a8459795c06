package com.example.users;

import com.example.users.events.UserCreated;
import com.example.users.events.UserEventUpcasters;
import com.example.users.events.versions.UserCreatedV1;

/** Reads users created at version 1, whose name was one string, as version 2 has them: given and family names. */
public final class CompleteUpcasters implements UserEventUpcasters {

    @Override
    public UserCreated fromV1(UserCreatedV1 event) {
        String[] names = event.data().name().split(" ", 2);
        return new UserCreated(
                new UserCreated.Data(new UserCreated.Data.Name(names[0], names.length > 1 ? names[1] : ""),
                        event.data().email()),
                new UserCreated.Meta(event.meta().auditor()));
    }
}
