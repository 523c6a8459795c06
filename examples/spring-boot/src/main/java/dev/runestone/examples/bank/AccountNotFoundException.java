package dev.runestone.examples.bank;

/** No account has this id: its stream has no events, or the read model has not caught up with its opening yet. */
final class AccountNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AccountNotFoundException(String account) {
        super("No account " + account + "; open one with POST /accounts.");
    }
}
