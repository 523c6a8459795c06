package dev.runestone.test;

import static dev.runestone.test.CartEvent.opened;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runestone.spi.StorageAdapter;
import dev.runestone.sqlite.SqliteStorage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(ReplaceUnderscores.class)
class TestStorageTest {

    /** Storage that counts the stores opened on it; named by the system property in these tests. */
    public static final class CountingStorage implements TestStorage {

        static final AtomicInteger OPENED = new AtomicInteger();

        @Override
        public StorageAdapter open() {
            OPENED.incrementAndGet();
            return SqliteStorage.inMemory();
        }
    }

    /** Implements the interface but has no public constructor without parameters. */
    public static final class NoConstructor implements TestStorage {

        NoConstructor(String unused) {
        }

        @Override
        public StorageAdapter open() {
            return SqliteStorage.inMemory();
        }
    }

    @AfterEach
    void clearTheProperty() {
        System.clearProperty(TestStorage.PROPERTY);
    }

    @Test
    void without_the_property_stores_are_in_memory_sqlite() {
        try (StorageAdapter adapter = TestStorage.configured().open()) {
            assertThat(adapter).isInstanceOf(SqliteStorage.class);
        }
    }

    @Test
    void the_property_names_the_storage_every_test_event_store_then_opens() {
        System.setProperty(TestStorage.PROPERTY, CountingStorage.class.getName());
        int before = CountingStorage.OPENED.get();

        try (TestEventStore<CartEvent> runestone = TestEventStore.of(CartEvent.registry())) {
            runestone.given("cart-1", opened("Ada"));
        }

        assertThat(CountingStorage.OPENED.get() - before).isEqualTo(1);
    }

    @Test
    void a_class_that_cannot_be_used_is_refused_saying_what_to_name_instead() {
        String fix = "; name a class on the test class path that implements dev.runestone.test.TestStorage and has a "
                + "public constructor without parameters, or leave the property unset for an in-memory SQLite store";

        System.setProperty(TestStorage.PROPERTY, "com.example.NoSuchStorage");
        assertThatThrownBy(TestStorage::configured).isInstanceOf(IllegalStateException.class).hasMessage(
                "The system property runestone.test.storage names the class com.example.NoSuchStorage, which was "
                        + "not found" + fix);
        System.setProperty(TestStorage.PROPERTY, String.class.getName());
        assertThatThrownBy(TestStorage::configured).hasMessage("The system property runestone.test.storage names "
                + "the class java.lang.String, which does not implement TestStorage" + fix);
        System.setProperty(TestStorage.PROPERTY, NoConstructor.class.getName());
        assertThatThrownBy(TestStorage::configured).hasMessage("The system property runestone.test.storage names "
                + "the class " + NoConstructor.class.getName() + ", which could not be made with a public "
                + "constructor without parameters" + fix);
    }
}
