package dev.runestone.spring.boot;

import dev.runestone.EventStore;
import dev.runestone.instrumentation.Instrumentation;
import dev.runestone.registry.EventRegistry;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.subscription.Projection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Opens an {@link EventStore} (on the application's PostgreSQL DataSource, else an embedded SQLite file), starts the
 * subscriptions the application declares with the context, and adds a health indicator and an actuator endpoint
 * when actuator is present. The store reports to the application's {@link Instrumentation} bean, if it has one
 * ({@link RunestoneObservationAutoConfiguration} makes one from Micrometer). Each bean backs off when the
 * application declares its own: an {@link EventRegistry}, a {@link StorageAdapter} or the {@link EventStore} itself.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableConfigurationProperties(RunestoneProperties.class)
public final class RunestoneAutoConfiguration {

    private static final String SPRING_JDBC = "org.springframework.jdbc.datasource.ConnectionHolder";

    @Bean
    @ConditionalOnMissingBean({EventRegistry.class, EventStore.class})
    EventRegistry<?> runestoneEventRegistry(RunestoneProperties properties, ListableBeanFactory beans) {
        return RegistryResolver.resolve(properties.getRegistry(), beans, classLoader(beans));
    }

    /** The application's class loader (devtools' restart loader, for one), where its event classes live. */
    private ClassLoader classLoader(ListableBeanFactory beans) {
        ClassLoader loader = beans instanceof ConfigurableBeanFactory configurable
                ? configurable.getBeanClassLoader() : null;
        return loader != null ? loader : getClass().getClassLoader();
    }

    @Bean
    @ConditionalOnMissingBean({StorageAdapter.class, EventStore.class})
    StoreDatabase runestoneStoreDatabase(RunestoneProperties properties, ObjectProvider<DataSource> dataSource) {
        return StorageFactory.open(properties, dataSource.getIfUnique(), getClass().getClassLoader());
    }

    /** Closing it closes the storage; the subscriptions stop before it closes. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(EventStore.class)
    EventStore<?> runestoneEventStore(EventRegistry<?> registry, ObjectProvider<StorageAdapter> applicationStorage,
            ObjectProvider<StoreDatabase> ownStorage, ObjectProvider<Instrumentation> instrumentation,
            RunestoneProperties properties) {
        StorageAdapter adapter = applicationStorage.getIfAvailable(() -> ownStorage.getObject().adapter());
        return EventStore.builder(registry, adapter).closeTimeout(properties.getCloseTimeout())
                .instrumentation(instrumentation.getIfUnique(() -> Instrumentation.NONE)).build();
    }

    @Bean
    @ConditionalOnMissingBean
    RunestoneSubscriptions runestoneSubscriptions(EventStore<?> store, RunestoneProperties properties,
            ListableBeanFactory beans, ObjectProvider<StoreDatabase> ownStorage) {
        Map<String, Projection<?>> projections = new LinkedHashMap<>();
        beans.getBeansOfType(Projection.class).forEach(projections::put);
        StoreDatabase own = ownStorage.getIfAvailable();
        @Nullable DataSource dataSource = own == null ? null : own.dataSource();
        boolean bindable = dataSource != null && ClassUtils.isPresent(SPRING_JDBC, getClass().getClassLoader());
        return new RunestoneSubscriptions(store, properties, RunestoneSubscriptions.definitions(projections,
                SubscriptionHandlers.find(beans, store.registry()), bindable ? dataSource : null));
    }

    /** The health indicator, when Spring Boot's health module is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("runestone")
    static final class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "runestoneHealthIndicator")
        RunestoneHealthIndicator runestoneHealthIndicator(EventStore<?> store, RunestoneSubscriptions subscriptions) {
            return new RunestoneHealthIndicator(store, subscriptions);
        }
    }

    /** The actuator endpoint, when actuator is present and the endpoint is exposed. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    @ConditionalOnAvailableEndpoint(RunestoneEndpoint.class)
    static final class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RunestoneEndpoint runestoneEndpoint(EventStore<?> store, RunestoneSubscriptions subscriptions) {
            return new RunestoneEndpoint(store, subscriptions);
        }
    }
}
