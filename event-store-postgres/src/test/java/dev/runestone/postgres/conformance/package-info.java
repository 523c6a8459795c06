/**
 * The PostgreSQL adapter's run of the testkit's conformance suites, every one, each test in a schema of its own.
 */
@NullMarked
package dev.runestone.postgres.conformance;

import org.jspecify.annotations.NullMarked;
