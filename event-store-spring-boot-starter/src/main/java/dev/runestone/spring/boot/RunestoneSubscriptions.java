package dev.runestone.spring.boot;

import dev.runestone.EventRecord;
import dev.runestone.EventStore;
import dev.runestone.subscription.PartitionCountMismatchException;
import dev.runestone.subscription.Projection;
import dev.runestone.subscription.Subscription;
import dev.runestone.subscription.SubscriptionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The durable subscriptions the application declares, as {@link Projection} beans (named by the bean's name) and as
 * {@link RunestoneSubscription} methods, started when the application context starts and closed when it stops: each
 * finishes the event in hand and commits its checkpoint, within {@code runestone.close-timeout}. Thread-safe.
 */
public final class RunestoneSubscriptions implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RunestoneSubscriptions.class);

    /** How one subscription is started, once the store is open. */
    @FunctionalInterface
    interface Definition {
        Subscription<?> start(SubscriptionBuilder<Object> builder);
    }

    private final EventStore<Object> store;
    private final RunestoneProperties properties;
    /** In declaration order: subscriptions start in that order. */
    private final Map<String, Definition> definitions;
    private final Map<String, Subscription<?>> running = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    RunestoneSubscriptions(EventStore<?> store, RunestoneProperties properties, Map<String, Definition> definitions) {
        this.store = (EventStore<Object>) store;
        this.properties = properties;
        this.definitions = new LinkedHashMap<>(definitions);
        unknownSettings();
        definitions.keySet().forEach(this::configured);
    }

    /** The definitions of {@code projections} (by bean name) and {@code methods} (by subscription name). */
    @SuppressWarnings("unchecked")
    static Map<String, Definition> definitions(Map<String, Projection<?>> projections,
            Map<String, List<SubscriptionHandlers.HandlerMethod>> methods, @Nullable DataSource dataSource) {
        Map<String, Definition> definitions = new LinkedHashMap<>();
        projections.forEach((name, projection) ->
                definitions.put(name, builder -> builder.projection((Projection<Object>) projection).start()));
        methods.forEach((name, handlers) -> {
            if (definitions.containsKey(name)) {
                throw new RunestoneConfigurationException("@RunestoneSubscription",
                        "Subscription '" + name + "' is both a Projection bean and the name of @RunestoneSubscription "
                                + "methods.",
                        "Give one of them another name.");
            }
            definitions.put(name, handlers.getFirst().transactional()
                    ? builder -> builder.transactionalHandler((record, status, connection) -> {
                        if (dataSource == null) {
                            handleAll(handlers, record);
                        } else {
                            TransactionBinding.run(dataSource, connection, () -> handleAll(handlers, record));
                        }
                    }).start()
                    : builder -> builder.handler((record, status) -> handleAll(handlers, record)).start());
        });
        return definitions;
    }

    private static void handleAll(List<SubscriptionHandlers.HandlerMethod> handlers, EventRecord<?> record)
            throws Exception {
        for (SubscriptionHandlers.HandlerMethod handler : handlers) {
            handler.handle(record);
        }
    }

    /** The subscription of this name started here, if it runs or stopped by itself. */
    public synchronized Optional<Subscription<?>> get(String name) {
        return Optional.ofNullable(running.get(name));
    }

    /** Every subscription started here, in the order they started. */
    public synchronized Collection<Subscription<?>> all() {
        return List.copyOf(running.values());
    }

    @Override
    public synchronized void start() {
        try {
            definitions.forEach((name, definition) -> {
                if (settings(name).isEnabled()) {
                    running.put(name, startOne(name, definition));
                }
            });
        } catch (RuntimeException | Error failure) {
            // The context will not start: the subscriptions that did must not run on without it.
            stop();
            throw failure;
        }
    }

    private Subscription<?> startOne(String name, Definition definition) {
        try {
            return definition.start(configured(name));
        } catch (PartitionCountMismatchException e) {
            throw new RunestoneConfigurationException("runestone.subscriptions." + name + ".partitions",
                    e.getMessage(), "Set runestone.subscriptions." + name + ".partitions to the number the store "
                            + "keeps, or give the subscription a new name to start it afresh.", e);
        }
    }

    @Override
    public synchronized void stop() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Subscription<?> subscription : running.values()) {
            closing.add(CompletableFuture.runAsync(subscription::close,
                    task -> Thread.ofPlatform().daemon().name("runestone-close-" + subscription.name()).start(task)));
        }
        Duration timeout = properties.getCloseTimeout();
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Runestone subscriptions {} still finishing their events after {}; the store closes anyway",
                    running.keySet(), timeout);
        } catch (ExecutionException e) {
            LOG.warn("A Runestone subscription failed while closing", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return !running.isEmpty();
    }

    private RunestoneProperties.Subscription settings(String name) {
        return properties.getSubscriptions().getOrDefault(name, new RunestoneProperties.Subscription());
    }

    /** The builder with the subscription's properties applied; a value the store refuses names its property. */
    private SubscriptionBuilder<Object> configured(String name) {
        RunestoneProperties.Subscription settings = settings(name);
        SubscriptionBuilder<Object> builder = store.subscribe(name);
        try {
            builder.from(settings.getStartFrom()).partitions(settings.getPartitions()).lease(settings.getLease())
                    .retries(settings.getAttempts(), settings.getBackoff()).onPoison(settings.getOnPoison())
                    .pageSize(settings.getPageSize());
            if (settings.getInstanceName() != null) {
                builder.instanceName(settings.getInstanceName());
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            String prefix = "runestone.subscriptions." + name;
            throw new RunestoneConfigurationException(prefix, prefix + ".*: " + e.getMessage(),
                    "Fix that value in the application's properties.", e);
        }
        return builder;
    }

    /** Settings for a name nothing declares are most likely a typo: say so rather than ignore them. */
    private void unknownSettings() {
        for (String name : properties.getSubscriptions().keySet()) {
            if (!definitions.containsKey(name)) {
                throw new RunestoneConfigurationException("runestone.subscriptions." + name,
                        "runestone.subscriptions." + name + ".* configures a subscription no bean declares (declared: "
                                + definitions.keySet() + ").",
                        "Name a Projection bean or a @RunestoneSubscription \"" + name + "\", or fix the name in "
                                + "the properties.");
            }
        }
    }
}
