package dev.runestone.examples.users;

import static dev.runestone.examples.users.UserTest.created;

import dev.runestone.examples.users.UserServiceExample.UserSummary;
import dev.runestone.test.TestEventStore;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The user summary reducer, folding a stream's events through the store. */
@DisplayNameGeneration(ReplaceUnderscores.class)
class UserSummaryTest {

    @RegisterExtension
    final TestEventStore<UserEvent> runestone = TestEventStore.of(UserEvent.registry(new UserUpcasters()));

    @Test
    void counts_email_changes_and_keeps_the_latest_address_until_the_user_leaves() {
        runestone.reducer(UserSummary.REDUCER, "user-jane")
                .given(created("Jane", "jane@example.com"))
                .then(new UserSummary("jane@example.com", 0, true))
                .given(new UserEmailSet("jane@example.org", new UserEmailSet.Meta("jane")),
                        new UserEmailSet("jane@example.net", new UserEmailSet.Meta("support")))
                .then(new UserSummary("jane@example.net", 2, true))
                .given(new UserDeactivated())
                .then(new UserSummary("jane@example.net", 2, false));
    }
}
