package dev.runestone.sqlite.conformance;

import dev.runestone.sqlite.SqliteStorage;
import dev.runestone.testkit.AggregateSuite;
import dev.runestone.testkit.AppendSuite;
import dev.runestone.testkit.BadInputSuite;
import dev.runestone.testkit.BoundarySuite;
import dev.runestone.testkit.BrokenJsonSuite;
import dev.runestone.testkit.CoalescingSuite;
import dev.runestone.testkit.ConcurrencySuite;
import dev.runestone.testkit.CorrelationSuite;
import dev.runestone.testkit.EventStatusSuite;
import dev.runestone.testkit.EventStoreFixture;
import dev.runestone.testkit.EvolutionSuite;
import dev.runestone.testkit.HookSuite;
import dev.runestone.testkit.ImportSuite;
import dev.runestone.testkit.ProjectorSuite;
import dev.runestone.testkit.ReadSuite;
import dev.runestone.testkit.ReducerSuite;
import dev.runestone.testkit.RelationSuite;
import dev.runestone.testkit.RoundTripPropertySuite;
import dev.runestone.testkit.StorageAdapterSuite;
import dev.runestone.testkit.SubscriptionSuite;
import dev.runestone.testkit.UndecodableRowsSuite;
import org.junit.jupiter.api.Nested;

/**
 * The SQLite adapter on a private in-memory database per adapter: every conformance suite but durability and
 * subscription instances, since an in-memory database is gone once its adapter closes and no other adapter can open
 * it.
 */
class SqliteInMemoryConformanceTest {

    final EventStoreFixture memory = SqliteStorage::inMemory;

    @Nested
    class Spi extends StorageAdapterSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class Append extends AppendSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class Read extends ReadSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class Reducers extends ReducerSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class Aggregates extends AggregateSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class Relations extends RelationSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class Projector extends ProjectorSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class Correlations extends CorrelationSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class EventStatus extends EventStatusSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class Hooks extends HookSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class Concurrency extends ConcurrencySuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class Coalescing extends CoalescingSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class BadInput extends BadInputSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class Boundary extends BoundarySuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class RoundTrip extends RoundTripPropertySuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class UndecodableRows extends UndecodableRowsSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class Evolution extends EvolutionSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class BrokenJson extends BrokenJsonSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class Subscriptions extends SubscriptionSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }

    @Nested
    class Imports extends ImportSuite {
        @Override
        protected EventStoreFixture fixture() {
            return memory;
        }
    }
}
