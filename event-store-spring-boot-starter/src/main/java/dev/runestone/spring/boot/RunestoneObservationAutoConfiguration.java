package dev.runestone.spring.boot;

import dev.runestone.instrumentation.Instrumentation;
import dev.runestone.micrometer.MicrometerInstrumentation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Instruments the store with {@code event-store-micrometer} when that module is on the classpath and the application
 * has an {@link ObservationRegistry} (Spring Boot's actuator makes one): observations into that registry, so the
 * application's meter and tracing handlers turn them into timers and spans, and Runestone's own counters and gauges
 * into its {@link MeterRegistry}, if it has one. Backs off when the application declares an {@link Instrumentation}.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(name = {"dev.runestone.micrometer.MicrometerInstrumentation",
    "io.micrometer.observation.ObservationRegistry"})
@ConditionalOnBean(type = "io.micrometer.observation.ObservationRegistry")
public final class RunestoneObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(Instrumentation.class)
    Instrumentation runestoneInstrumentation(ObservationRegistry observations, ObjectProvider<MeterRegistry> meters) {
        MeterRegistry registry = meters.getIfUnique();
        return registry == null ? MicrometerInstrumentation.create(observations)
                : MicrometerInstrumentation.create(observations, registry);
    }
}
