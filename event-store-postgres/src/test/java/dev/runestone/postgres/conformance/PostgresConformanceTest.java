package dev.runestone.postgres.conformance;

import dev.runestone.postgres.TestServer;
import dev.runestone.testkit.AggregateSuite;
import dev.runestone.testkit.AppendSuite;
import dev.runestone.testkit.BadInputSuite;
import dev.runestone.testkit.BoundarySuite;
import dev.runestone.testkit.CoalescingSuite;
import dev.runestone.testkit.ConcurrencySuite;
import dev.runestone.testkit.CorrelationSuite;
import dev.runestone.testkit.DurabilitySuite;
import dev.runestone.testkit.EventStatusSuite;
import dev.runestone.testkit.EventStoreFixture;
import dev.runestone.testkit.EvolutionSuite;
import dev.runestone.testkit.HookSuite;
import dev.runestone.testkit.ImportSuite;
import dev.runestone.testkit.ProjectorSuite;
import dev.runestone.testkit.ReadSuite;
import dev.runestone.testkit.ReducerSuite;
import dev.runestone.testkit.RelationSuite;
import dev.runestone.testkit.ReopenableFixture;
import dev.runestone.testkit.RoundTripPropertySuite;
import dev.runestone.testkit.StorageAdapterSuite;
import dev.runestone.testkit.SubscriptionInstancesSuite;
import dev.runestone.testkit.SubscriptionSuite;
import dev.runestone.testkit.UndecodableRowsSuite;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/**
 * The PostgreSQL adapter on the test server (see {@link TestServer}): every conformance suite, durability and
 * subscription instances included. Each database is a fresh schema; opening it again builds a new store, with a pool
 * of its own, on that schema.
 */
class PostgresConformanceTest {

    private static final TestServer SERVER = TestServer.get();
    private static final List<String> CREATED = new CopyOnWriteArrayList<>();

    final ReopenableFixture schemas = () -> {
        String schema = SERVER.newSchema();
        CREATED.add(schema);
        return () -> SERVER.open(schema);
    };

    @AfterAll
    static void drop_the_schemas() {
        CREATED.forEach(SERVER::dropSchema);
        CREATED.clear();
    }

    @Nested
    class Spi extends StorageAdapterSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class Append extends AppendSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class Read extends ReadSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class Reducers extends ReducerSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class Aggregates extends AggregateSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class Relations extends RelationSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class Projector extends ProjectorSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class Correlations extends CorrelationSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class EventStatus extends EventStatusSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class Hooks extends HookSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class Concurrency extends ConcurrencySuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class Coalescing extends CoalescingSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class BadInput extends BadInputSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class Boundary extends BoundarySuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class RoundTrip extends RoundTripPropertySuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class UndecodableRows extends UndecodableRowsSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class Evolution extends EvolutionSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class Durability extends DurabilitySuite {
        @Override
        protected ReopenableFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class Subscriptions extends SubscriptionSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class SubscriptionInstances extends SubscriptionInstancesSuite {
        @Override
        protected ReopenableFixture fixture() {
            return schemas;
        }
    }

    @Nested
    class Imports extends ImportSuite {
        @Override
        protected EventStoreFixture fixture() {
            return schemas;
        }
    }
}
