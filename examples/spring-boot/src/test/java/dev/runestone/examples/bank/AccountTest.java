package dev.runestone.examples.bank;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.EventValidationException;
import dev.runestone.test.TestEventStore;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The account aggregate's rule, given an account's past events, without starting the application. */
@DisplayNameGeneration(ReplaceUnderscores.class)
class AccountTest {

    @RegisterExtension
    final TestEventStore<BankEvent> runestone = TestEventStore.of(BankEvent.registry());

    static AccountOpened opened(String owner) {
        return new AccountOpened(new AccountOpened.Data(owner));
    }

    static AccountDeposited deposited(long amount) {
        return new AccountDeposited(new AccountDeposited.Data(amount));
    }

    static AccountWithdrawn withdrawn(long amount) {
        return new AccountWithdrawn(new AccountWithdrawn.Data(amount));
    }

    @Test
    void an_account_opens_once() {
        runestone.aggregate(Account.REDUCER, "account-1")
                .when(account -> account.open("Ada"))
                .then(opened("Ada"));

        runestone.aggregate(Account.REDUCER, "account-1")
                .when(account -> account.open("Ada"))
                .thenThrows(IllegalStateException.class).hasMessage("Account account-1 is open already");
    }

    @Test
    void a_withdrawal_up_to_the_balance_is_paid_out() {
        runestone.aggregate(Account.REDUCER, "account-1")
                .given(opened("Ada"), deposited(5000), withdrawn(1200))
                .when(account -> account.withdraw(3800))
                .then(withdrawn(3800))
                .thenState(account -> assertThat(account.balance()).isZero());
    }

    @Test
    void a_withdrawal_larger_than_the_balance_is_refused_and_records_nothing() {
        runestone.aggregate(Account.REDUCER, "account-1")
                .given(opened("Ada"), deposited(1000))
                .when(account -> account.withdraw(1500))
                .thenThrows(InsufficientFundsException.class)
                .hasMessage("Account account-1 holds 1000 cents and cannot pay out 1500; nothing was written.");
    }

    @Test
    void an_amount_the_schema_refuses_is_reported_as_such_whatever_the_balance() {
        runestone.aggregate(Account.REDUCER, "account-1")
                .given(opened("Ada"))
                .when(account -> account.withdraw(0))
                .thenThrows(EventValidationException.class)
                .hasMessage("account:withdrawn is invalid: data.amount: must be at least 1 (minimum)");
    }
}
