package dev.runestone.spring.boot;

import dev.runestone.subscription.PoisonPolicy;
import dev.runestone.subscription.StartFrom;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code runestone.*} properties: where the events are kept, which registry reads them, and how each durable
 * subscription runs.
 */
@ConfigurationProperties("runestone")
public class RunestoneProperties {

    /** Which database keeps the events. */
    public enum Storage {
        /** PostgreSQL when the application's DataSource is one, else an embedded SQLite file. */
        AUTO,
        /** The application's DataSource, which must be PostgreSQL. */
        POSTGRES,
        /** An embedded SQLite file, whatever DataSource the application has. */
        SQLITE
    }

    /**
     * The fully qualified name of the event interface Runestone generated from the event configs, such as
     * {@code com.acme.users.UserEvent}; its {@code registry()} reads and writes the events. Not needed when the
     * application declares an {@code EventRegistry} bean.
     */
    private @Nullable String registry;

    /** Which database keeps the events. */
    private Storage storage = Storage.AUTO;

    /** How long closing the store waits for in-process projections and subscriptions to finish. */
    private Duration closeTimeout = Duration.ofSeconds(10);

    private final Sqlite sqlite = new Sqlite();

    private final Postgres postgres = new Postgres();

    /** Settings of durable subscriptions, by subscription name. */
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();

    public @Nullable String getRegistry() {
        return registry;
    }

    public void setRegistry(@Nullable String registry) {
        this.registry = registry;
    }

    public Storage getStorage() {
        return storage;
    }

    public void setStorage(Storage storage) {
        this.storage = storage;
    }

    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    public Sqlite getSqlite() {
        return sqlite;
    }

    public Postgres getPostgres() {
        return postgres;
    }

    public Map<String, Subscription> getSubscriptions() {
        return subscriptions;
    }

    /** The embedded SQLite store, used when the application has no PostgreSQL DataSource. */
    public static class Sqlite {

        /** The database file, created if missing; relative paths are under the working directory. */
        private Path path = Path.of("runestone.db");

        public Path getPath() {
            return path;
        }

        public void setPath(Path path) {
            this.path = path;
        }
    }

    /** The PostgreSQL store, on the application's DataSource. */
    public static class Postgres {

        /** The schema that holds Runestone's tables, created if missing. */
        private String schema = "runestone";

        public String getSchema() {
            return schema;
        }

        public void setSchema(String schema) {
            this.schema = schema;
        }
    }

    /** How one durable subscription runs. */
    public static class Subscription {

        /** Whether it starts with the application. */
        private boolean enabled = true;

        /** Where it starts when it has no checkpoint yet. */
        private StartFrom startFrom = StartFrom.BEGINNING;

        /** How many parts the log is split into, each with its own checkpoint and lease; fixed at first start. */
        private int partitions = 1;

        /** How long a partition's lease lasts without renewal; other instances take over after it. */
        private Duration lease = Duration.ofSeconds(30);

        /** How often a failing handler runs in all before its event counts as poison. */
        private int attempts = 5;

        /** The pause after a handler's first failure, doubled after each further one. */
        private Duration backoff = Duration.ofMillis(100);

        /** What to do with an event that failed every attempt. */
        private PoisonPolicy onPoison = PoisonPolicy.PARK_AND_CONTINUE;

        /** How many events one partition reads at a time. */
        private int pageSize = 256;

        /** The name this instance holds leases under, different on every instance; a random one by default. */
        private @Nullable String instanceName;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public StartFrom getStartFrom() {
            return startFrom;
        }

        public void setStartFrom(StartFrom startFrom) {
            this.startFrom = startFrom;
        }

        public int getPartitions() {
            return partitions;
        }

        public void setPartitions(int partitions) {
            this.partitions = partitions;
        }

        public Duration getLease() {
            return lease;
        }

        public void setLease(Duration lease) {
            this.lease = lease;
        }

        public int getAttempts() {
            return attempts;
        }

        public void setAttempts(int attempts) {
            this.attempts = attempts;
        }

        public Duration getBackoff() {
            return backoff;
        }

        public void setBackoff(Duration backoff) {
            this.backoff = backoff;
        }

        public PoisonPolicy getOnPoison() {
            return onPoison;
        }

        public void setOnPoison(PoisonPolicy onPoison) {
            this.onPoison = onPoison;
        }

        public int getPageSize() {
            return pageSize;
        }

        public void setPageSize(int pageSize) {
            this.pageSize = pageSize;
        }

        public @Nullable String getInstanceName() {
            return instanceName;
        }

        public void setInstanceName(@Nullable String instanceName) {
            this.instanceName = instanceName;
        }
    }
}
