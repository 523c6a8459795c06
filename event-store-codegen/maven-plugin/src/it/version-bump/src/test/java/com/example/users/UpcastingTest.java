package com.example.users;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.users.events.UserCreated;
import com.example.users.events.UserEvent;
import dev.runestone.registry.EventRegistry;
import dev.runestone.registry.EventRegistry.EncodedEvent;
import org.junit.jupiter.api.Test;

class UpcastingTest {

    private final EventRegistry<UserEvent> registry = UserEvent.registry(new CompleteUpcasters());

    @Test
    void an_event_stored_at_version_1_is_read_as_todays_record() {
        UserEvent event = registry.decode("user:created", new EncodedEvent("user:created", 1,
                "{\"name\":\"Jane Doe\",\"email\":\"jane@example.com\"}", "{\"auditor\":\"admin\"}"));

        assertEquals(new UserCreated(new UserCreated.Data(new UserCreated.Data.Name("Jane", "Doe"),
                "jane@example.com"), new UserCreated.Meta("admin")), event);
    }

    @Test
    void events_are_written_at_version_2() {
        UserCreated event = new UserCreated(new UserCreated.Data(new UserCreated.Data.Name("Jo", "Roe"),
                "jo@example.com"), new UserCreated.Meta("admin"));

        assertEquals(2, registry.encode(event).version());
        assertEquals(2, registry.versionOf("user:created"));
        assertEquals(1, registry.versionOf("user:email-set"));
    }
}
