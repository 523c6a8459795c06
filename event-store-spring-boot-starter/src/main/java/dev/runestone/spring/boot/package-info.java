/**
 * Spring Boot auto-configuration for Runestone: an {@link dev.runestone.EventStore} bean from the application's
 * DataSource or an embedded SQLite file, durable subscriptions declared as beans that live with the context, a
 * health indicator and the {@code runestone} actuator endpoint. {@code docs/spring-boot.md} walks through it.
 */
@NullMarked
package dev.runestone.spring.boot;

import org.jspecify.annotations.NullMarked;
