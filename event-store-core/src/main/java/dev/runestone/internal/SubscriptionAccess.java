package dev.runestone.internal;

import dev.runestone.EventStore;
import dev.runestone.instrumentation.Instrumentation;
import dev.runestone.spi.EventStorage;
import dev.runestone.spi.SubscriptionStorage;
import dev.runestone.subscription.SubscriptionBuilder;
import dev.runestone.subscription.Subscriptions;
import java.lang.invoke.MethodHandles;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How {@link EventStore} makes the subscription package's entry points, whose constructors are not public so that
 * users reach them only through the store: that package hands its factory over here when its classes load, the way
 * the JDK shares constructors between its own packages. Not for users.
 */
public final class SubscriptionAccess {

    /** What the subscription package makes for a store. */
    public interface Factory {

        /** A builder of a subscription named {@code name} on {@code store}, reporting to its instrumentation. */
        <E> SubscriptionBuilder<E> builder(EventStore<E> store, EventStorage events, SubscriptionStorage storage,
                Instrumentation instrumentation, String name);

        /** The stored state of the store's subscriptions. */
        Subscriptions subscriptions(EventStorage events, SubscriptionStorage storage);
    }

    private static volatile @Nullable Factory factory;

    private SubscriptionAccess() {
    }

    /**
     * Hands the subscription package's factory over; only that package may.
     *
     * @throws IllegalCallerException if called from anywhere else
     */
    public static void register(Factory given) {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        if (caller.getPackage() != SubscriptionBuilder.class.getPackage()) {
            throw new IllegalCallerException("Only Runestone's subscription package registers its factory");
        }
        factory = given;
    }

    /** The subscription package's factory, loading that package first if it has not loaded yet. */
    public static Factory factory() {
        Factory known = factory;
        if (known != null) {
            return known;
        }
        try {
            // Initialising the class runs the static block that registers the factory.
            MethodHandles.lookup().ensureInitialized(SubscriptionBuilder.class);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot load Runestone's subscription package", e);
        }
        return Objects.requireNonNull(factory, "the subscription package registered no factory");
    }
}
