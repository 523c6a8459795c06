package dev.runestone.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * Axon Framework 4's {@link JdbcEventStorageEngine}, standalone: no Spring, a HikariCP pool, connections bound to a
 * unit of work that commits them, Jackson serialisation, and Axon's own PostgreSQL tables in a schema of their
 * own. The aggregate's sequence number, checked by Axon's unique key, is the expected-version check.
 */
final class AxonWorkload implements Workload {

    private final HikariDataSource pool;
    private final JdbcEventStorageEngine engine;

    AxonWorkload(String url, String schema) {
        try (HikariDataSource admin = PostgresBaseline.pool(url, "axon-admin", 1, true);
                Connection connection = admin.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            statement.execute("CREATE SCHEMA \"" + schema + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        this.pool = PostgresBaseline.pool(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                "axon", 8, false);
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        this.engine = JdbcEventStorageEngine.builder()
                .connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(
                        new DataSourceConnectionProvider(pool)))
                .transactionManager(NoTransactionManager.INSTANCE)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .build();
        DefaultUnitOfWork.startAndGet(null).execute(() -> engine.createSchema(PostgresEventTableFactory.INSTANCE));
    }

    @Override
    public String name() {
        return "axon";
    }

    @Override
    public void appendOne(String stream, long n) {
        List<DomainEventMessage<?>> events = List.of(new GenericDomainEventMessage<>("User", stream, 0,
                UserEvent.created(n)));
        DefaultUnitOfWork.startAndGet(null).execute(() -> engine.appendEvents(events));
    }

    @Override
    public void appendBatch(String stream, long n, int count) {
        List<DomainEventMessage<?>> events = new ArrayList<>(count);
        long sequence = 0;
        for (UserEvent event : RunestoneWorkload.events(n, count)) {
            events.add(new GenericDomainEventMessage<>("User", stream, sequence++, event));
        }
        DefaultUnitOfWork.startAndGet(null).execute(() -> engine.appendEvents(events));
    }

    @Override
    public void close() {
        pool.close();
    }
}
