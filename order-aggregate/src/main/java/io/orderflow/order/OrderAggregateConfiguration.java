package io.orderflow.order;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.EhCache3Adapter;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.core.Ehcache;
import org.axonframework.eventsourcing.snapshotting.RevisionSnapshotFilter;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the Order aggregate is stored: event-sourced, with a snapshot after every {@code snapshot-threshold} events,
 * so that loading an order with a long history reads the snapshot and the events after it, not all of them; and
 * cached in memory, so that the fulfillment steps that follow an order's acceptance (one command each) find it
 * without reading the store again (both sizes from {@link OrderProperties}). The cache keeps the {@code orderflow.order.cache-size} orders used last (on the
 * heap, by reference, through Axon's Ehcache adapter; weak references were cleared by every young collection, so
 * most steps read the order again) and forgets an entry whose unit of work rolled back, so a write that conflicts
 * in the store (another instance appended first) fails as a conflict and a repeat of the command loads the order
 * afresh: never a write on a stale state (ADR 0006).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OrderProperties.class)
class OrderAggregateConfiguration {

    static final String SNAPSHOT_TRIGGER = "orderSnapshotTrigger";
    static final String CACHE = "orderCache";
    static final String SNAPSHOT_FILTER = "orderSnapshotFilter";
    /** The revision of the Order aggregate's snapshots; raise it when a field is added to the aggregate. */
    static final String SNAPSHOT_REVISION = "3";

    @Bean(destroyMethod = "close")
    CacheManager orderCacheManager(OrderProperties settings) {
        long entries = settings.cacheSize();
        return CacheManagerBuilder.newCacheManagerBuilder()
                .withCache(CACHE, CacheConfigurationBuilder.newCacheConfigurationBuilder(Object.class, Object.class,
                        ResourcePoolsBuilder.heap(entries)))
                .build(true);
    }

    @Bean(CACHE)
    Cache orderCache(CacheManager orderCacheManager) {
        return new EhCache3Adapter((Ehcache<?, ?>) orderCacheManager.getCache(CACHE, Object.class, Object.class));
    }

    /** Only snapshots of the aggregate's current revision are read; older ones are passed over. */
    @Bean(SNAPSHOT_FILTER)
    SnapshotFilter orderSnapshotFilter() {
        return RevisionSnapshotFilter.builder().type(Order.class).revision(SNAPSHOT_REVISION).build();
    }

    @Bean(SNAPSHOT_TRIGGER)
    SnapshotTriggerDefinition orderSnapshotTrigger(Snapshotter snapshotter, OrderProperties settings) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, settings.snapshotThreshold());
    }
}
