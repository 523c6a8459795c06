package dev.runestone.spi.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.DuplicateEventIdException;
import dev.runestone.spi.NewEvent;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DuplicateCheckTest {

    private static NewEvent event(String stream) {
        return new NewEvent(UUID.randomUUID(), stream, "t", "{}", null, "2026-01-01T00:00:00.000Z-000001");
    }

    @Test
    void keeps_events_with_unknown_ids_to_write_and_reports_repeats_as_duplicates_in_the_append_order() {
        NewEvent first = event("a");
        NewEvent repeat = event("b");
        NewEvent second = event("c");
        NewEvent repeatToo = event("d");
        Map<UUID, Boolean> stored = Map.of(repeat.id(), true, repeatToo.id(), true);

        DuplicateCheck check = DuplicateCheck.of(List.of(first, repeat, second, repeatToo),
                event -> stored.get(event.id()));

        assertThat(check.fresh()).containsExactly(first, second);
        assertThat(check.duplicates()).containsExactly(repeat.id(), repeatToo.id());
    }

    @Test
    void fails_on_the_first_id_that_holds_another_event() {
        NewEvent fresh = event("a");
        NewEvent taken = event("b");
        NewEvent takenToo = event("c");
        Map<UUID, Boolean> stored = Map.of(taken.id(), false, takenToo.id(), false);

        assertThatThrownBy(() -> DuplicateCheck.of(List.of(fresh, taken, takenToo), event -> stored.get(event.id())))
                .isInstanceOf(DuplicateEventIdException.class)
                .hasMessageContaining(taken.id().toString());
    }
}
