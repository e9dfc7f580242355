package io.orderflow.wiring.instance;

import io.orderflow.wiring.settings.ProcessorsProperties;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Spreads every processor's segments evenly over the live instances (ADR 0036). Axon lets the first instance to start
 * claim every free segment, and never gives one up by itself; the others would wait idle until it dies. Every
 * {@code orderflow.processors.balance-check} (2 s) each instance renews its row in {@code application_instance},
 * counts the live instances, and for each running processor asks {@link SegmentShare} what to do: it gives up a
 * segment with Axon's own {@link StreamingEventProcessor#releaseSegment}, which keeps it from taking that segment
 * back for a while, and keeps from claiming more than its share the same way, for the segments it does not hold.
 * The marks last three checks: an instance whose checks stop claims freely again, as Axon alone would.
 */
@Component
class SegmentBalancer implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentBalancer.class);

    private final JdbcTemplate jdbc;
    private final EventProcessingConfiguration processing;
    private final InstanceId instance;
    private final Duration claimTimeout;
    private final Duration check;

    SegmentBalancer(JdbcTemplate jdbc, EventProcessingConfiguration processing, InstanceId instance,
                    ProcessorsProperties settings) {
        this.jdbc = jdbc;
        this.processing = processing;
        this.instance = instance;
        this.claimTimeout = settings.claimTimeout();
        this.check = settings.balanceCheck();
    }

    /** Every {@link ProcessorsProperties#balanceCheck()} (its placeholder, with the same default). */
    @Scheduled(fixedDelayString = "${orderflow.processors.balance-check:2s}", initialDelay = 0)
    void balance() {
        Set<String> live;
        try {
            jdbc.update("INSERT INTO application_instance (owner, name, started_at, seen_at) VALUES (?, ?, now(), now()) "
                    + "ON CONFLICT (owner) DO UPDATE SET seen_at = now()", instance.owner(), instance.name());
            live = new HashSet<>(jdbc.queryForList("SELECT owner FROM application_instance "
                    + "WHERE seen_at > now() - ? * interval '1 millisecond'", String.class, claimTimeout.toMillis()));
            live.add(instance.owner());
        } catch (RuntimeException e) {
            LOG.warn("Could not renew this instance's row or read the live instances; trying again: {}",
                    e.getMessage());
            return;
        }
        for (Map.Entry<String, StreamingEventProcessor> entry : streamingProcessors().entrySet()) {
            try {
                balance(entry.getKey(), entry.getValue(), live);
            } catch (RuntimeException e) {
                LOG.warn("Could not balance the segments of {}; trying again: {}", entry.getKey(), e.getMessage());
            }
        }
    }

    private void balance(String name, StreamingEventProcessor processor, Set<String> live) {
        if (!processor.isRunning() || live.size() < 2) {
            return;
        }
        Set<Integer> segments = new HashSet<>();
        Map<Integer, String> owners = new HashMap<>();
        jdbc.query("SELECT segment, owner FROM token_entry WHERE processor_name = ?", row -> {
            segments.add(row.getInt(1));
            String owner = row.getString(2);
            if (owner != null && live.contains(owner)) {
                owners.put(row.getInt(1), owner);
            }
        }, name);
        SegmentShare share = SegmentShare.of(instance.owner(), segments, owners, live);
        for (int segment : share.release()) {
            processor.releaseSegment(segment);
            LOG.info("Gave up segment {} of {} for another instance to take: {} segments over {} live instances",
                    segment, name, segments.size(), live.size());
        }
        if (share.claimNoMore()) {
            for (int segment : segments) {
                if (!instance.owner().equals(owners.get(segment))) {
                    processor.releaseSegment(segment, check.toMillis() * 3, TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    private Map<String, StreamingEventProcessor> streamingProcessors() {
        Map<String, StreamingEventProcessor> streaming = new HashMap<>();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor stream) {
                streaming.put(name, stream);
            }
        });
        return streaming;
    }

    /** Leaves the live instances at once on a clean stop, so that the others take its share without waiting. */
    @Override
    public void destroy() {
        try {
            jdbc.update("DELETE FROM application_instance WHERE owner = ?", instance.owner());
            jdbc.update("DELETE FROM application_instance WHERE seen_at < now() - interval '1 day'");
        } catch (RuntimeException e) {
            LOG.debug("Could not remove this instance's row on the way out", e);
        }
    }
}
