package com.example.users;

import com.example.users.events.UserActivated;
import com.example.users.events.UserCreated;
import com.example.users.events.UserEmailSet;
import com.example.users.events.UserEvent;
import com.example.users.events.UserNameGivenSet;
import com.example.users.events.UserRolesSet;

/** Folds user events into a line of text: a switch the compiler checks against the generated events. */
public final class UserDirectory {

    private UserDirectory() {
    }

    public static String describe(UserEvent event) {
        return switch (event) {
            case UserCreated created -> created.data().name().given() + " " + created.data().name().family()
                    + " <" + created.data().email() + ">";
            case UserEmailSet set -> "email " + set.data();
            case UserNameGivenSet set -> "given name " + set.data();
            case UserActivated activated -> "activated";
            case UserRolesSet set -> "role " + set.data().role().value() + " since " + set.data().since();
        };
    }
}
