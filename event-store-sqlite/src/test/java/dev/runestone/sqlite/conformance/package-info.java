/**
 * The SQLite adapter's runs of the testkit's conformance suites: on database files, durability included, and in
 * memory.
 */
@NullMarked
package dev.runestone.sqlite.conformance;

import org.jspecify.annotations.NullMarked;
