/**
 * The SQLite storage adapter: an event store embedded in the process, in one file or in memory. Start at
 * {@link dev.runestone.sqlite.SqliteStorage}.
 */
@NullMarked
package dev.runestone.sqlite;

import org.jspecify.annotations.NullMarked;
