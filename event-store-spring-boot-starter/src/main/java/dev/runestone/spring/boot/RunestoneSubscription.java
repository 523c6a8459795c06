package dev.runestone.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean's method as a handler of a durable subscription, which starts with the application context and stops
 * with it. The method takes one parameter: an event record ({@code UserCreated created}) for the events of that
 * class, or an {@code EventRecord<UserCreated>} for the event with its stream, position and time. Every method
 * carrying the same name, in any bean, belongs to the one subscription; each event goes to the methods whose class
 * it is an instance of.
 *
 * <pre>{@code
 * @Component
 * class WelcomeEmails {
 *     @RunestoneSubscription("welcome-emails")
 *     void send(UserCreated created) { mailer.welcome(created.data().email()); }
 * }
 * }</pre>
 *
 * <p>Delivery is at least once. With {@link #transactional()} the methods run inside the transaction that moves the
 * subscription's checkpoint, on the store's connection: when the store is on the application's DataSource, Spring's
 * {@code JdbcTemplate} and {@code @Transactional} methods (under a DataSource or JDBC transaction manager, not JPA's)
 * called from the handler join that transaction, so what they write commits with the checkpoint, exactly once.
 * {@code runestone.subscriptions.<name>.*} sets partitions, start position, retries and the poison policy.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RunestoneSubscription {

    /** The subscription's name, which keys its checkpoint: keep it when the code changes. */
    String value();

    /**
     * Whether the method runs in the checkpoint's transaction. All methods of one subscription must agree.
     */
    boolean transactional() default false;
}
