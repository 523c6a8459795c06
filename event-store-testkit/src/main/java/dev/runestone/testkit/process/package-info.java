/**
 * Crash tests with real processes: {@link dev.runestone.testkit.process.SubscriptionProcessSuite} runs a durable
 * subscription in child JVMs on the adapter's database, kills them with SIGKILL part way through, and checks what
 * the database kept. An adapter's test module supplies a {@link dev.runestone.testkit.process.StoreOpener} and
 * extends the suite in a few lines. {@link dev.runestone.testkit.process.ChildJvms} starts and kills the children
 * of an adapter's own crash tests.
 */
@NullMarked
package dev.runestone.testkit.process;

import org.jspecify.annotations.NullMarked;
