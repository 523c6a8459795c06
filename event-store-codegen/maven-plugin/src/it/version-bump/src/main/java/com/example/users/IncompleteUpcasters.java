package com.example.users;

import com.example.users.events.UserEventUpcasters;

/** Written before user:created went to version 2: it has no step from version 1, so it must not compile. */
public final class IncompleteUpcasters implements UserEventUpcasters {
}
