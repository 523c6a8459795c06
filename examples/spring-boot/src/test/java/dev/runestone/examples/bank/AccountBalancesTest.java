package dev.runestone.examples.bank;

import static dev.runestone.examples.bank.AccountTest.deposited;
import static dev.runestone.examples.bank.AccountTest.opened;
import static dev.runestone.examples.bank.AccountTest.withdrawn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runestone.examples.bank.AccountBalances.Row;
import dev.runestone.test.TestEventStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The read model's projection on a durable subscription, without starting the application: its table made by the
 * application's own {@code schema.sql} on the store's database, written by the handlers on the store's connection.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class AccountBalancesTest {

    @RegisterExtension
    final TestEventStore<BankEvent> runestone = TestEventStore.of(BankEvent.registry());

    @BeforeEach
    void createTheTable() throws IOException, SQLException {
        String schema;
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/schema.sql"))) {
            schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        runestone.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                return statement.execute(schema);
            }
        });
    }

    @Test
    void keeps_each_accounts_owner_balance_and_last_version() {
        runestone.subscription(store -> store.subscribe("account-balances").projection(AccountBalances.projection()))
                .given("account-1", opened("Ada"), deposited(5000), withdrawn(1200))
                .given("account-2", opened("Bea"))
                .then(() -> assertThat(rows()).containsExactly(new Row("account-1", "Ada", 3800, 3),
                        new Row("account-2", "Bea", 0, 1)));
    }

    @Test
    void running_again_from_the_first_event_over_the_kept_table_changes_nothing() {
        runestone.subscription(store -> store.subscribe("account-balances").projection(AccountBalances.projection()))
                .given("account-1", opened("Ada"), deposited(5000), withdrawn(1200))
                .then(() -> assertThat(rows()).containsExactly(new Row("account-1", "Ada", 3800, 3)))
                .subscription().close();
        runestone.store().subscriptions().replay("account-balances");

        runestone.subscription(store -> store.subscribe("account-balances").projection(AccountBalances.projection()))
                .given("account-1", deposited(100))
                .then(() -> assertThat(rows()).containsExactly(new Row("account-1", "Ada", 3900, 4)));
    }

    private List<Row> rows() throws SQLException {
        return runestone.inTransaction(connection -> {
            List<Row> rows = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery(
                            "SELECT id, owner, balance, version FROM accounts ORDER BY owner, id")) {
                while (row.next()) {
                    rows.add(new Row(row.getString("id"), row.getString("owner"), row.getLong("balance"),
                            row.getLong("version")));
                }
            }
            return rows;
        });
    }
}
