/**
 * A small user service: users are created and change their email through an aggregate, a reducer folds a summary,
 * a projector keeps a read model, and a {@code once} handler sends a (pretend) welcome email.
 */
@NullMarked
package dev.runestone.examples.users;

import org.jspecify.annotations.NullMarked;
