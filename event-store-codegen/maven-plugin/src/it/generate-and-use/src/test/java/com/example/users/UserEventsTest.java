package com.example.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.users.events.UserActivated;
import com.example.users.events.UserCreated;
import com.example.users.events.UserEmailSet;
import com.example.users.events.UserEvent;
import com.example.users.events.UserRolesSet;
import dev.runestone.EventValidationException;
import dev.runestone.registry.EventRegistry;
import dev.runestone.registry.EventRegistry.EncodedEvent;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserEventsTest {

    private final EventRegistry<UserEvent> registry = UserEvent.registry();

    private static UserCreated jane() {
        return new UserCreated(new UserCreated.Data(new UserCreated.Data.Name("Jane", "Doe"), "jane@example.com"),
                new UserCreated.Meta("admin"));
    }

    @Test
    void a_switch_describes_each_event() {
        assertEquals("Jane Doe <jane@example.com>", UserDirectory.describe(jane()));
        assertEquals("activated", UserDirectory.describe(new UserActivated()));
    }

    @Test
    void events_survive_a_json_round_trip() {
        List<UserEvent> events = List.of(jane(), new UserEmailSet("jane@example.org", new UserEmailSet.Meta("jane")),
                new UserActivated(), new UserRolesSet(new UserRolesSet.Data(UserRolesSet.Data.Role.READ_ONLY,
                        List.of("beta"), OffsetDateTime.parse("2025-04-25T22:47:07.5+02:00")),
                        new UserRolesSet.Meta("admin")));
        for (UserEvent event : events) {
            EncodedEvent encoded = registry.encode(event);
            assertEquals(event, registry.decode(encoded.type(), encoded));
        }
        assertEquals("{\"name\":{\"given\":\"Jane\",\"family\":\"Doe\"},\"email\":\"jane@example.com\"}",
                registry.encode(jane()).data());
    }

    @Test
    void an_invalid_event_cannot_be_made() {
        EventValidationException e = assertThrows(EventValidationException.class,
                () -> new UserCreated(new UserCreated.Data(new UserCreated.Data.Name(null, "Doe"), "jane@example.com"),
                        new UserCreated.Meta("admin")));
        assertEquals("user:created is invalid: data.name.given: must not be null (required)", e.getMessage());
        assertThrows(EventValidationException.class, () -> new UserEmailSet("jane", new UserEmailSet.Meta("jane")));
    }
}
