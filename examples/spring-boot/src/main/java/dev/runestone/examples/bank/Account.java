package dev.runestone.examples.bank;

import dev.runestone.AggregateReducer;
import dev.runestone.AggregateRoot;
import dev.runestone.Reducer;
import org.jspecify.annotations.Nullable;

/** The account aggregate: folds an account's events into its balance and refuses to take it below zero. */
final class Account extends AggregateRoot<BankEvent> {

    /** Loads and makes accounts; its name keys the aggregate's snapshots. */
    static final AggregateReducer<Account, BankEvent> REDUCER = Reducer.aggregate("account", Account::new);

    private String owner = "";
    private long balance;

    @Override
    protected void with(BankEvent event) {
        switch (event) {
            case AccountOpened opened -> owner = opened.data().owner();
            case AccountDeposited deposited -> balance += deposited.data().amount();
            case AccountWithdrawn withdrawn -> balance -= withdrawn.data().amount();
        }
    }

    /** Records the opening; {@code owner} is checked by the event's schema, which refuses null and empty names. */
    void open(@Nullable String owner) {
        if (version() > 0 || isDirty()) {
            throw new IllegalStateException("Account " + stream() + " is open already");
        }
        push(new AccountOpened(new AccountOpened.Data(owner)));
    }

    void deposit(long amount) {
        push(new AccountDeposited(new AccountDeposited.Data(amount)));
    }

    /** @throws InsufficientFundsException if the balance is smaller than {@code amount}; nothing is recorded */
    void withdraw(long amount) {
        // Made first, so that an amount the schema refuses is reported as such, whatever the balance.
        AccountWithdrawn withdrawn = new AccountWithdrawn(new AccountWithdrawn.Data(amount));
        if (amount > balance) {
            throw new InsufficientFundsException(stream(), balance, amount);
        }
        push(withdrawn);
    }

    String owner() {
        return owner;
    }

    long balance() {
        return balance;
    }
}
