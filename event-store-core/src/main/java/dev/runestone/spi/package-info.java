/**
 * The storage adapter SPI: what a database must provide for an {@link dev.runestone.EventStore} to run on it.
 *
 * <p>Adapters implement {@link dev.runestone.spi.StorageAdapter}. Everything here is raw rows (JSON as text,
 * timestamps in their sortable string form); decoding, validation, clocks and projection stay in the core. The
 * {@code event-store-testkit} conformance suites are the executable specification of this contract.
 */
@NullMarked
package dev.runestone.spi;

import org.jspecify.annotations.NullMarked;
