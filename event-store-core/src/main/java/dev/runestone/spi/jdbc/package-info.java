/**
 * Plain-JDBC pieces that more than one storage adapter shares: SQL that every supported database understands the
 * same way, parameterised by what differs between them, and the check of names spliced into it. For adapter
 * authors; applications have no use for it.
 */
@NullMarked
package dev.runestone.spi.jdbc;

import org.jspecify.annotations.NullMarked;
