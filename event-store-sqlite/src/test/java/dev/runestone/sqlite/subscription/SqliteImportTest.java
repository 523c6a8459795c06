package dev.runestone.sqlite.subscription;

import dev.runestone.testkit.TaskEvent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventStore;
import dev.runestone.ImportResult;
import dev.runestone.Reducer;
import dev.runestone.Target;
import dev.runestone.clock.HlcTimestamp;
import dev.runestone.sqlite.SqliteStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteImportTest {

    record Trail(String numbers) {
    }

    private static final Reducer<Trail, TaskEvent> TRAIL = Reducer.of("trail", Trail.class, () -> new Trail(""),
            (state, record) -> new Trail(state.numbers() + "," + record.event().n()));

    @TempDir
    Path dir;

    private final List<EventStore<TaskEvent>> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.reversed().forEach(EventStore::close);
    }

    private EventStore<TaskEvent> open(String name) {
        EventStore<TaskEvent> store = EventStore.builder(TaskEvent.registry(),
                SqliteStorage.file(dir.resolve(name + ".db"))).build();
        opened.add(store);
        return store;
    }

    @Test
    void keeps_ids_and_created_skips_what_is_there_and_changes_nothing_the_second_time() {
        EventStore<TaskEvent> source = open("source");
        EventStore<TaskEvent> target = open("target");
        source.append("task-1", List.of(TaskEvent.opened(1), TaskEvent.noted(2)));
        source.append("task-2", TaskEvent.noted(3));

        ImportResult<TaskEvent> first = target.importEvents(source.readLog(0, 100));
        ImportResult<TaskEvent> second = target.importEvents(source.readLog(0, 100));

        assertThat(first.imported()).hasSize(3);
        assertThat(first.skipped()).isEmpty();
        assertThat(target.readLog(0, 100)).extracting(record -> record.id() + " " + record.created())
                .containsExactlyElementsOf(source.readLog(0, 100).stream()
                        .map(record -> record.id() + " " + record.created()).toList());
        assertThat(second.imported()).isEmpty();
        assertThat(second.skipped()).hasSize(3);
        assertThat(target.readLog(0, 100)).hasSize(3);
        assertThat(source.readLog(0, 100).getLast().created().isAfter(target.clock().last())).isFalse();
    }

    @Test
    void an_imported_event_older_than_a_snapshot_cursor_invalidates_the_snapshot() {
        EventStore<TaskEvent> edge = open("edge");
        EventStore<TaskEvent> central = open("central");
        HlcTimestamp older = edge.append("task-1", TaskEvent.noted(1)).records().getFirst().created();
        // Two clocks can stamp the same millisecond: central has seen the edge's time, so its event is newer.
        central.clock().update(older);
        central.append("task-1", TaskEvent.noted(2));
        central.snapshots().create(TRAIL, Target.stream("task-1"));
        assertThat(central.snapshots().get(TRAIL, Target.stream("task-1"))).isPresent();

        ImportResult<TaskEvent> result = central.importEvents(edge.readLog(0, 10));

        assertThat(result.outdated()).as("a newer task:noted is already in the stream")
                .containsExactly(result.imported().getFirst().id());
        assertThat(central.snapshots().get(TRAIL, Target.stream("task-1"))).isEmpty();
        assertThat(central.reduce(TRAIL, "task-1")).contains(new Trail(",1,2"));
    }
}
