package dev.runestone.examples.bank;

import dev.runestone.subscription.Projection;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The bank service: run it with {@code ./mvnw -q -pl examples/spring-boot -am compile exec:java} (embedded SQLite),
 * adding {@code -Dspring.profiles.active=postgres} for PostgreSQL.
 */
@SpringBootApplication
public class BankApplication {

    /**
     * The read model, run by the starter as the durable subscription {@code account-balances}. The bean's name is the
     * subscription's: renaming it would start a new subscription from the first event.
     */
    @Bean("account-balances")
    Projection<BankEvent> accountBalances() {
        return AccountBalances.projection();
    }

    public static void main(String[] args) {
        SpringApplication.run(BankApplication.class, args);
    }
}
