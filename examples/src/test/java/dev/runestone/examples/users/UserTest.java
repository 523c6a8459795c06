package dev.runestone.examples.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventValidationException;
import dev.runestone.test.TestEventStore;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The user aggregate's rules, given its past events, on the test fixtures. */
@DisplayNameGeneration(ReplaceUnderscores.class)
class UserTest {

    @RegisterExtension
    final TestEventStore<UserEvent> runestone = TestEventStore.of(UserEvent.registry(new UserUpcasters()));

    static UserCreated created(String given, String email) {
        return new UserCreated(new UserCreated.Data(new UserCreated.Data.Name(given, "Doe"), email),
                new UserCreated.Meta("signup-form"));
    }

    @Test
    void signing_up_records_the_name_and_email() {
        runestone.aggregate(User.REDUCER, "user-jane")
                .when(user -> user.signUp("Jane", "Doe", "jane@example.com", "signup-form"))
                .then(created("Jane", "jane@example.com"))
                .thenState(user -> assertThat(user.fullName()).isEqualTo("Jane Doe"));
    }

    @Test
    void a_user_signs_up_only_once() {
        runestone.aggregate(User.REDUCER, "user-jane")
                .given(created("Jane", "jane@example.com"))
                .when(user -> user.signUp("Jane", "Doe", "jane@example.com", "signup-form"))
                .thenThrows(IllegalStateException.class).hasMessage("User user-jane exists already");
    }

    @Test
    void a_new_email_is_recorded_and_the_same_one_again_changes_nothing() {
        runestone.aggregate(User.REDUCER, "user-jane")
                .given(created("Jane", "jane@example.com"))
                .when(user -> user.changeEmail("jane.doe@example.com", "jane"))
                .then(new UserEmailSet("jane.doe@example.com", new UserEmailSet.Meta("jane")));

        runestone.aggregate(User.REDUCER, "user-jane")
                .when(user -> user.changeEmail("jane.doe@example.com", "jane"))
                .thenNoEvents();
    }

    @Test
    void an_invalid_email_is_refused_by_its_event_before_anything_is_recorded() {
        runestone.aggregate(User.REDUCER, "user-jane")
                .given(created("Jane", "jane@example.com"))
                .when(user -> user.changeEmail("not-an-email", "jane"))
                .thenThrows(EventValidationException.class)
                .hasMessage("user:email-set is invalid: data: must be an email address (format)");
    }

    @Test
    void a_deactivated_user_keeps_their_email_and_is_deactivated_once() {
        runestone.aggregate(User.REDUCER, "user-jane")
                .given(created("Jane", "jane@example.com"), new UserDeactivated())
                .when(user -> user.changeEmail("jane.doe@example.com", "jane"))
                .thenThrows(IllegalStateException.class).hasMessage("User user-jane is deactivated");

        runestone.aggregate(User.REDUCER, "user-jane")
                .when(User::deactivate)
                .thenNoEvents();
    }
}
