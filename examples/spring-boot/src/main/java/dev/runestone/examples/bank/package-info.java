/**
 * A small bank service on Spring Boot and the Runestone starter: accounts are an aggregate ({@link
 * dev.runestone.examples.bank.Account}) that refuses to overdraw, commands arrive over HTTP ({@link
 * dev.runestone.examples.bank.AccountController}), and a durable subscription keeps the read model the queries read
 * ({@link dev.runestone.examples.bank.AccountBalances}).
 *
 * <p>The events, the sealed interface {@code BankEvent} and its registry are generated at build time from the JSON
 * configs in {@code examples/spring-boot/src/main/events} by the {@code runestone:generate} goal.
 */
@NullMarked
package dev.runestone.examples.bank;

import org.jspecify.annotations.NullMarked;
