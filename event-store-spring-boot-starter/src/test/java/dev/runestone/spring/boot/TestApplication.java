package dev.runestone.spring.boot;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** The smallest Spring Boot application: auto-configuration and nothing else, unless a test imports more. */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApplication {

    /** On SQLite tests, Spring Boot's DataSource auto-configuration would fail for want of a URL. */
    static final String NO_DATA_SOURCE =
            "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

    static final String REGISTRY = "runestone.registry=dev.runestone.testkit.events.TestEvent";

    /** Makes the actuator endpoint available, as an application exposing it over HTTP would. */
    static final String EXPOSE_ENDPOINT = "management.endpoints.web.exposure.include=health,runestone";
}
