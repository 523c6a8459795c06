/**
 * A small user service: users are created and change their email through an aggregate, a reducer folds a summary,
 * a projector keeps a read model, and a {@code once} handler sends a (pretend) welcome email. {@code user:created} is
 * at version 2, and {@link dev.runestone.examples.users.UserUpcasters} reads the events stored at version 1.
 *
 * <p>The events, the sealed interface {@code UserEvent} and its registry are generated at build time from the JSON
 * configs in {@code examples/src/main/events} by the {@code runestone:generate} goal.
 */
@NullMarked
package dev.runestone.examples.users;

import org.jspecify.annotations.NullMarked;
