/**
 * Plain-JDBC pieces that more than one storage adapter runs as they are: SQL that every supported database
 * understands the same way. For adapter authors; applications have no use for it.
 */
@NullMarked
package dev.runestone.spi.jdbc;

import org.jspecify.annotations.NullMarked;
