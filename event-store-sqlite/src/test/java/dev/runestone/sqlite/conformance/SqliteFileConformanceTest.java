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
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite adapter on database files: every conformance suite, durability and subscription instances (several
 * stores on one file) included.
 */
class SqliteFileConformanceTest {

    @TempDir
    Path dir;

    /** Each database is a new file in the test's temporary directory; opening it again reopens that file. */
    final ReopenableFixture files = () -> {
        Path file = dir.resolve(UUID.randomUUID() + ".db");
        return () -> SqliteStorage.file(file);
    };

    @Nested
    class Spi extends StorageAdapterSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class Append extends AppendSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class Read extends ReadSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class Reducers extends ReducerSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class Aggregates extends AggregateSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class Relations extends RelationSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class Projector extends ProjectorSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class Correlations extends CorrelationSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class EventStatus extends EventStatusSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class Hooks extends HookSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class Concurrency extends ConcurrencySuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class Coalescing extends CoalescingSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class BadInput extends BadInputSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class Boundary extends BoundarySuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class RoundTrip extends RoundTripPropertySuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class UndecodableRows extends UndecodableRowsSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class Evolution extends EvolutionSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class BrokenJson extends BrokenJsonSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class Durability extends DurabilitySuite {
        @Override
        protected ReopenableFixture fixture() {
            return files;
        }
    }

    @Nested
    class Subscriptions extends SubscriptionSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }

    @Nested
    class SubscriptionInstances extends SubscriptionInstancesSuite {
        @Override
        protected ReopenableFixture fixture() {
            return files;
        }
    }

    @Nested
    class Imports extends ImportSuite {
        @Override
        protected EventStoreFixture fixture() {
            return files;
        }
    }
}
