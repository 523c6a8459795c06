package dev.runestone.examples.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runestone.EventStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.client.RestClient;

/**
 * The bank service as a client sees it, over HTTP on a random port: commands through the aggregate, the read model
 * catching up, errors as problem details, actuator. Each database runs it with a subclass that says where the
 * events go.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
@DisplayNameGeneration(ReplaceUnderscores.class)
abstract class BankApplicationSuite {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    EventStore<BankEvent> store;

    private RestClient http;

    @BeforeEach
    void client() {
        http = RestClient.builder().baseUrl("http://localhost:" + port)
                // The tests look at error statuses rather than have them thrown.
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
                })
                .build();
    }

    @Test
    void an_account_opened_paid_into_and_out_of_shows_in_the_read_model() {
        ResponseEntity<Map<String, Object>> opened = post("/accounts", "{\"owner\": \"Ada\"}");
        assertThat(opened.getStatusCode().value()).isEqualTo(201);
        String id = (String) opened.getBody().get("id");
        assertThat(opened.getHeaders().getLocation()).hasToString("/accounts/" + id);

        post("/accounts/" + id + "/deposits", "{\"amount\": 5000}");
        ResponseEntity<Map<String, Object>> withdrawn = post("/accounts/" + id + "/withdrawals", "{\"amount\": 1200}");

        assertThat(withdrawn.getStatusCode().value()).isEqualTo(200);
        assertThat(withdrawn.getBody()).containsEntry("balance", 3800).containsEntry("version", 3);
        Map<String, Object> row = Map.of("id", id, "owner", "Ada", "balance", 3800, "version", 3);
        await().atMost(CATCH_UP).untilAsserted(() -> assertThat(get("/accounts/" + id).getBody()).isEqualTo(row));
        assertThat(list()).contains(row);
    }

    @Test
    void a_withdrawal_larger_than_the_balance_is_refused_with_422_and_writes_nothing() {
        String id = open("Bea");
        post("/accounts/" + id + "/deposits", "{\"amount\": 1000}");

        ResponseEntity<Map<String, Object>> refused = post("/accounts/" + id + "/withdrawals", "{\"amount\": 1500}");

        assertThat(refused.getStatusCode().value()).isEqualTo(422);
        assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(refused.getBody()).containsEntry("title", "Insufficient funds")
                .containsEntry("balance", 1000).containsEntry("amount", 1500);
        assertThat((String) refused.getBody().get("detail")).contains(id, "nothing was written");
        assertThat(store.version(id)).isEqualTo(2);
    }

    @Test
    void an_event_the_schema_refuses_is_a_400_naming_the_field_and_the_rule() {
        String id = open("Cy");

        ResponseEntity<Map<String, Object>> zero = post("/accounts/" + id + "/deposits", "{\"amount\": 0}");
        ResponseEntity<Map<String, Object>> nameless = post("/accounts", "{\"owner\": \"\"}");

        assertThat(zero.getStatusCode().value()).isEqualTo(400);
        assertThat(zero.getBody()).containsEntry("violations",
                List.of(Map.of("path", "data.amount", "rule", "minimum", "message", "must be at least 1")));
        assertThat(nameless.getStatusCode().value()).isEqualTo(400);
        assertThat((String) nameless.getBody().get("detail"))
                .isEqualTo("account:opened is invalid: data.owner: must be at least 1 character long (minLength)");
        assertThat(store.version(id)).isEqualTo(1);
    }

    @Test
    void a_command_on_a_version_the_account_has_moved_past_is_a_409_and_writes_nothing() {
        String id = open("Dee");
        assertThat(post("/accounts/" + id + "/deposits", "{\"amount\": 700, \"expectedVersion\": 1}")
                .getStatusCode().value()).isEqualTo(200);

        ResponseEntity<Map<String, Object>> stale =
                post("/accounts/" + id + "/withdrawals", "{\"amount\": 100, \"expectedVersion\": 1}");

        assertThat(stale.getStatusCode().value()).isEqualTo(409);
        assertThat(stale.getBody()).containsEntry("expectedVersion", "1").containsEntry("actualVersion", 2);
        assertThat((String) stale.getBody().get("detail")).contains("Reload the stream and retry");
        assertThat(store.version(id)).isEqualTo(2);
    }

    @Test
    void withdrawals_racing_for_one_account_never_overdraw_it() throws Exception {
        String id = open("Eve");
        post("/accounts/" + id + "/deposits", "{\"amount\": 1000}");

        // Each conflict a withdrawal meets means another one succeeded, so with fewer racers than Accounts.ATTEMPTS
        // none runs out of attempts, however the requests interleave.
        int racers = 8;
        assertThat(racers).isLessThan(Accounts.ATTEMPTS);
        List<Integer> statuses;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Callable<Integer>> withdrawals = IntStream.range(0, racers).<Callable<Integer>>mapToObj(i ->
                    () -> post("/accounts/" + id + "/withdrawals", "{\"amount\": 300}").getStatusCode().value())
                    .toList();
            statuses = clients.invokeAll(withdrawals).stream().map(BankApplicationSuite::result).toList();
        }

        assertThat(statuses).as("three fit in the balance; the others are refused, none fails on a conflict")
                .containsExactlyInAnyOrder(200, 200, 200, 422, 422, 422, 422, 422);
        await().atMost(CATCH_UP).untilAsserted(() -> assertThat(get("/accounts/" + id).getBody())
                .containsEntry("balance", 100).containsEntry("version", 5));
    }

    @Test
    void an_unknown_account_is_a_404() {
        ResponseEntity<Map<String, Object>> deposit = post("/accounts/no-such-account/deposits", "{\"amount\": 1}");

        assertThat(deposit.getStatusCode().value()).isEqualTo(404);
        assertThat(deposit.getBody()).containsEntry("title", "No such account");
        assertThat(get("/accounts/no-such-account").getStatusCode().value()).isEqualTo(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void actuator_reports_the_read_model_subscription_healthy_and_caught_up() {
        String id = open("Flo");
        await().atMost(CATCH_UP).until(() -> get("/accounts/" + id).getStatusCode().value() == 200);

        ResponseEntity<Map<String, Object>> health = get("/actuator/health");
        ResponseEntity<Map<String, Object>> endpoint = get("/actuator/runestone/account-balances");

        assertThat(health.getStatusCode().value()).isEqualTo(200);
        Map<String, Object> runestone = (Map<String, Object>) ((Map<String, Object>) health.getBody()
                .get("components")).get("runestone");
        assertThat(runestone).containsEntry("status", "UP");
        assertThat((Map<String, Object>) runestone.get("details")).containsKey("account-balances");
        assertThat(endpoint.getStatusCode().value()).isEqualTo(200);
        assertThat(endpoint.getBody()).containsEntry("status", "running").containsEntry("parkedCount", 0)
                .containsEntry("parked", List.of());
        await().atMost(CATCH_UP).untilAsserted(() ->
                assertThat(get("/actuator/runestone/account-balances").getBody()).containsEntry("lag", 0));
    }

    @Test
    void the_runestone_endpoint_changes_nothing_until_write_access_is_granted() {
        String parked = "/actuator/runestone/account-balances/" + UUID.randomUUID();

        HttpStatusCode retry = http.post().uri(parked).retrieve().toBodilessEntity().getStatusCode();
        HttpStatusCode discard = http.delete().uri(parked).retrieve().toBodilessEntity().getStatusCode();

        assertThat(retry.is4xxClientError()).as("POST (retry) answered %s", retry).isTrue();
        assertThat(discard.is4xxClientError()).as("DELETE (discard) answered %s", discard).isTrue();
    }

    private String open(String owner) {
        ResponseEntity<Map<String, Object>> opened = post("/accounts", "{\"owner\": \"" + owner + "\"}");
        assertThat(opened.getStatusCode().value()).isEqualTo(201);
        return (String) opened.getBody().get("id");
    }

    private ResponseEntity<Map<String, Object>> post(String path, String json) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(json).retrieve().toEntity(JSON);
    }

    private ResponseEntity<Map<String, Object>> get(String path) {
        return http.get().uri(path).retrieve().toEntity(JSON);
    }

    private List<Map<String, Object>> list() {
        return http.get().uri("/accounts").retrieve().body(new ParameterizedTypeReference<>() {
        });
    }

    private static Integer result(Future<Integer> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
