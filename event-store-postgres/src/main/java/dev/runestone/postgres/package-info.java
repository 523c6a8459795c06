/**
 * The PostgreSQL storage adapter: an event store on a PostgreSQL server, shared by many processes, with a global
 * log that readers follow without ever skipping an event. Start at {@link dev.runestone.postgres.PostgresStorage}.
 */
@NullMarked
package dev.runestone.postgres;

import org.jspecify.annotations.NullMarked;
