package dev.runestone.examples.bank;

/** A withdrawal asked for more than the account holds; nothing was written. */
final class InsufficientFundsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long balance;
    private final long amount;

    InsufficientFundsException(String account, long balance, long amount) {
        super("Account " + account + " holds " + balance + " cents and cannot pay out " + amount
                + "; nothing was written.");
        this.balance = balance;
        this.amount = amount;
    }

    long balance() {
        return balance;
    }

    long amount() {
        return amount;
    }
}
