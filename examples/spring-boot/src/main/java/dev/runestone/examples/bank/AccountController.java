package dev.runestone.examples.bank;

import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP API. Commands ({@code POST}) go through the aggregate and answer with its state once saved; queries
 * ({@code GET}) read the read model, which catches up a moment later. Errors are problem details ({@link ApiErrors}).
 */
@RestController
@RequestMapping("/accounts")
final class AccountController {

    /** Opens an account. */
    record OpenAccount(@Nullable String owner) {
    }

    /**
     * Pays money in or out. With {@code expectedVersion} (from a previous response), the command is refused with 409
     * if the account has changed since; without it, it is decided on the account as it is.
     */
    record Transfer(long amount, @Nullable Long expectedVersion) {
    }

    private final Accounts accounts;
    private final AccountBalances balances;

    AccountController(Accounts accounts, AccountBalances balances) {
        this.accounts = accounts;
        this.balances = balances;
    }

    @PostMapping
    ResponseEntity<Accounts.State> open(@RequestBody OpenAccount request) {
        Accounts.State opened = accounts.open(request.owner());
        return ResponseEntity.created(URI.create("/accounts/" + opened.id())).body(opened);
    }

    @PostMapping("/{id}/deposits")
    Accounts.State deposit(@PathVariable String id, @RequestBody Transfer request) {
        return accounts.deposit(id, request.amount(), request.expectedVersion());
    }

    @PostMapping("/{id}/withdrawals")
    Accounts.State withdraw(@PathVariable String id, @RequestBody Transfer request) {
        return accounts.withdraw(id, request.amount(), request.expectedVersion());
    }

    @GetMapping("/{id}")
    AccountBalances.Row get(@PathVariable String id) {
        return balances.find(id).orElseThrow(() -> new AccountNotFoundException(id));
    }

    @GetMapping
    List<AccountBalances.Row> list() {
        return balances.all();
    }
}
