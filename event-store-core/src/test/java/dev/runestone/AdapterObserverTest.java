package dev.runestone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.runestone.instrumentation.Instrumentation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(ReplaceUnderscores.class)
class AdapterObserverTest {

    private final List<Object> reports = new CopyOnWriteArrayList<>();

    @Test
    void hands_each_report_to_the_instrumentation() {
        AdapterObserver observer = new AdapterObserver(new Instrumentation() {
            @Override
            public void logHeldBack(Duration waited) {
                reports.add(waited);
            }

            @Override
            public void appendsCoalesced(int appends) {
                reports.add(appends);
            }
        });

        observer.appendsCoalesced(3);
        observer.logHeldBack(Duration.ofMillis(7));

        assertThat(reports).containsExactly(3, Duration.ofMillis(7));
    }

    @Test
    void an_instrumentation_that_throws_does_not_fail_the_adapter_s_work_and_still_gets_later_reports() {
        AdapterObserver observer = new AdapterObserver(new Instrumentation() {
            @Override
            public void logHeldBack(Duration waited) {
                reports.add(waited);
                throw new IllegalStateException("a broken instrumentation, on purpose");
            }

            @Override
            public void appendsCoalesced(int appends) {
                reports.add(appends);
                throw new IllegalStateException("a broken instrumentation, on purpose");
            }
        });

        assertThatCode(() -> {
            observer.appendsCoalesced(3);
            observer.appendsCoalesced(2);
            observer.logHeldBack(Duration.ofMillis(7));
        }).doesNotThrowAnyException();
        assertThat(reports).containsExactly(3, 2, Duration.ofMillis(7));
    }
}
