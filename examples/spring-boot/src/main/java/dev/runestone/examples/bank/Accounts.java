package dev.runestone.examples.bank;

import dev.runestone.ConcurrencyException;
import dev.runestone.EventStore;
import dev.runestone.ExpectedVersion;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * The commands: each loads the account's aggregate, lets it decide, and saves what it recorded, expecting the stream
 * at the version it was read at. Thread-safe.
 */
@Service
final class Accounts {

    /**
     * How often a command without an expected version is decided again after another write got in first. Each
     * conflict means another write succeeded, so this covers that many requests racing for one account.
     */
    static final int ATTEMPTS = 10;

    /** An account as the aggregate sees it right after a command: the state the response reports. */
    record State(String id, String owner, long balance, long version) {

        static State of(Account account) {
            return new State(account.stream(), account.owner(), account.balance(), account.version());
        }
    }

    private final EventStore<BankEvent> store;

    Accounts(EventStore<BankEvent> store) {
        this.store = store;
    }

    /** Opens an account; a null or empty {@code owner} is refused by the event's schema. */
    State open(@Nullable String owner) {
        Account account = store.create(Account.REDUCER, UUID.randomUUID().toString());
        account.open(owner);
        account.save();
        return State.of(account);
    }

    State deposit(String id, long amount, @Nullable Long expectedVersion) {
        return change(id, expectedVersion, account -> account.deposit(amount));
    }

    State withdraw(String id, long amount, @Nullable Long expectedVersion) {
        return change(id, expectedVersion, account -> account.withdraw(amount));
    }

    /**
     * Runs {@code command} on the account and saves it. With {@code expectedVersion}, the caller decided on the
     * account as it was at that version, so any other version is a conflict to report. Without one, a conflict only
     * says another request got in first: the command is decided again on the new state, rules checked again.
     *
     * @throws ConcurrencyException if the account is not at {@code expectedVersion}, or after {@link #ATTEMPTS}
     *         conflicts
     */
    private State change(String id, @Nullable Long expectedVersion, Consumer<Account> command) {
        for (int attempt = 1; ; attempt++) {
            Account account = store.reduce(Account.REDUCER, id).orElseThrow(() -> new AccountNotFoundException(id));
            if (expectedVersion != null && account.version() != expectedVersion) {
                throw new ConcurrencyException(id, ExpectedVersion.exactly(expectedVersion), account.version());
            }
            command.accept(account);
            try {
                account.save();
                return State.of(account);
            } catch (ConcurrencyException e) {
                if (expectedVersion != null || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
