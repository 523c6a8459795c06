package dev.runestone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.runestone.clock.HlcTimestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReducerTest {

    sealed interface CounterEvent permits Added, Reset {
    }

    record Added(int data) implements CounterEvent {
    }

    record Reset() implements CounterEvent {
    }

    record Total(int value) {

        static Total zero() {
            return new Total(0);
        }

        Total fold(CounterEvent event) {
            return switch (event) {
                case Added added -> new Total(value + added.data());
                case Reset reset -> zero();
            };
        }
    }

    static final class Counter extends AggregateRoot<CounterEvent> {

        final List<CounterEvent> seen = new ArrayList<>();

        @Override
        protected void with(CounterEvent event) {
            seen.add(event);
        }
    }

    private static EventRecord<CounterEvent> record(long version, CounterEvent event) {
        return new EventRecord<>(UUID.randomUUID(), "counter-1", event instanceof Added ? "added" : "reset", event,
                new HlcTimestamp(1_000 + version, 0), Instant.ofEpochMilli(1_000 + version), version, version);
    }

    private static final Reducer<Total, CounterEvent> TOTALS =
            Reducer.of("total", Total.class, Total::zero, (total, record) -> total.fold(record.event()));

    @Nested
    class Of {

        @Test
        void folds_events_with_the_given_function_from_the_initial_state() {
            Total total = TOTALS.initialState();
            for (CounterEvent event : List.of(new Added(2), new Added(3), new Reset(), new Added(4))) {
                total = TOTALS.fold(total, record(1, event));
            }

            assertThat(total).isEqualTo(new Total(4));
        }

        @Test
        void makes_a_fresh_initial_state_each_time() {
            Reducer<StringBuilder, CounterEvent> log = Reducer.of("log", StringBuilder.class, StringBuilder::new,
                    (text, record) -> text.append(record.type()));

            assertThat(log.initialState()).isNotSameAs(log.initialState());
        }

        @Test
        void has_its_name_and_state_type_and_reads_every_type() {
            assertThat(TOTALS.name()).isEqualTo("total");
            assertThat(TOTALS.stateType()).isEqualTo(Total.class);
            assertThat(TOTALS.types()).isEmpty();
        }

        @Test
        void rejects_a_blank_name() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Reducer.of(" ", Total.class, Total::zero, (total, record) -> total))
                    .withMessageContaining("name");
        }

        @Test
        void rejects_missing_arguments_by_name() {
            assertThatNullPointerException()
                    .isThrownBy(() -> Reducer.<Total, CounterEvent>of(null, Total.class, Total::zero, (t, r) -> t))
                    .withMessage("name");
            assertThatNullPointerException()
                    .isThrownBy(() -> Reducer.<Total, CounterEvent>of("total", null, Total::zero, (t, r) -> t))
                    .withMessage("stateType");
            assertThatNullPointerException()
                    .isThrownBy(() -> Reducer.<Total, CounterEvent>of("total", Total.class, null, (t, r) -> t))
                    .withMessage("initial");
            assertThatNullPointerException()
                    .isThrownBy(() -> Reducer.<Total, CounterEvent>of("total", Total.class, Total::zero, null))
                    .withMessage("fold");
        }
    }

    @Nested
    class Only_types {

        @Test
        void restricts_the_types_and_keeps_everything_else() {
            Reducer<Total, CounterEvent> added = TOTALS.onlyTypes(Added.class);

            assertThat(added.types()).containsExactly(Added.class);
            assertThat(added.name()).isEqualTo("total");
            assertThat(added.stateType()).isEqualTo(Total.class);
            assertThat(added.initialState()).isEqualTo(Total.zero());
            assertThat(added.fold(new Total(1), record(1, new Added(2)))).isEqualTo(new Total(3));
        }

        @Test
        void accepts_several_types() {
            assertThat(TOTALS.onlyTypes(Added.class, Reset.class).types())
                    .containsExactlyInAnyOrder(Added.class, Reset.class);
        }

        @Test
        void rejects_an_empty_list_of_types() {
            assertThatIllegalArgumentException().isThrownBy(TOTALS::onlyTypes)
                    .withMessageContaining("at least one event class");
        }

        @Test
        void rejects_a_missing_type() {
            assertThatNullPointerException().isThrownBy(() -> TOTALS.onlyTypes(Added.class, null));
        }
    }

    @Nested
    class Aggregate {

        private final AggregateReducer<Counter, CounterEvent> counters = Reducer.aggregate("counter", Counter::new);

        @Test
        void takes_the_state_type_from_what_the_factory_makes() {
            assertThat(counters.stateType()).isEqualTo(Counter.class);
            assertThat(counters.name()).isEqualTo("counter");
            assertThat(counters.types()).isEmpty();
            assertThat(counters).hasToString("AggregateReducer[counter, " + Counter.class.getName() + "]");
        }

        @Test
        void makes_a_fresh_aggregate_each_time() {
            assertThat(counters.initialState()).isNotSameAs(counters.initialState());
        }

        @Test
        void folds_each_event_into_the_aggregate_and_tracks_its_version() {
            Counter counter = counters.initialState();

            Counter folded = counters.fold(counters.fold(counter, record(1, new Added(5))), record(2, new Reset()));

            assertThat(folded).isSameAs(counter);
            assertThat(counter.seen).containsExactly(new Added(5), new Reset());
            assertThat(counter.version()).isEqualTo(2);
            assertThat(counter.isDirty()).isFalse();
        }

        @Test
        void rejects_a_blank_name() {
            assertThatIllegalArgumentException().isThrownBy(() -> Reducer.aggregate("", Counter::new))
                    .withMessageContaining("name");
        }

        @Test
        void rejects_missing_arguments_by_name() {
            assertThatNullPointerException().isThrownBy(() -> Reducer.aggregate(null, Counter::new))
                    .withMessage("name");
            assertThatNullPointerException().isThrownBy(() -> Reducer.<Counter, CounterEvent>aggregate("counter", null))
                    .withMessage("factory");
        }

        @Test
        void rejects_a_factory_that_makes_nothing() {
            assertThatNullPointerException().isThrownBy(() -> Reducer.<Counter, CounterEvent>aggregate("counter", () -> null))
                    .withMessage("factory returned null");
        }
    }
}
