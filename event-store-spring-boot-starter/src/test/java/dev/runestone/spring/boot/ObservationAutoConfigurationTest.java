package dev.runestone.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.instrumentation.Instrumentation;
import dev.runestone.micrometer.MicrometerInstrumentation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** When {@link RunestoneObservationAutoConfiguration} makes an instrumentation for the store, and when it does not. */
@DisplayNameGeneration(ReplaceUnderscores.class)
class ObservationAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RunestoneObservationAutoConfiguration.class));

    @Test
    void without_an_observation_registry_nothing_is_instrumented() {
        runner.run(context -> assertThat(context).doesNotHaveBean(Instrumentation.class));
    }

    @Test
    void an_instrumentation_of_the_application_s_own_is_kept() {
        Instrumentation own = new Instrumentation() { };
        runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .withBean(Instrumentation.class, () -> own)
                .run(context -> assertThat(context.getBean(Instrumentation.class)).isSameAs(own));
    }

    @Test
    void an_observation_registry_alone_gives_an_instrumentation() {
        runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .run(context -> assertThat(context.getBean(Instrumentation.class))
                        .isInstanceOf(MicrometerInstrumentation.class));
    }
}
