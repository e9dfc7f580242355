package io.orderflow.topics;

import org.apache.kafka.common.header.Headers;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The headers that make every orderflow Kafka record a CloudEvent in binary mode (CloudEvents 1.0, Kafka protocol
 * binding), plus a W3C {@code traceparent}, so that another team reads a record with any CloudEvents or tracing
 * library and without orderflow's classes: what happened ({@code ce_type}, the event class and its revision), where
 * ({@code ce_source}, the owning context), about what ({@code ce_subject}, the record's key), when ({@code ce_time}),
 * which schema the JSON value follows ({@code ce_dataschema}) and which trace it belongs to ({@code traceparent}).
 * The value itself is the event's JSON, unchanged; Axon's own {@code axon-*} headers stay beside these.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "1.0";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SPECVERSION = "ce_specversion";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String DATASCHEMA = "ce_dataschema";
    /** The binary mode's {@code datacontenttype}: the Kafka binding names it {@code content-type}. */
    public static final String CONTENT_TYPE = "content-type";
    /** W3C Trace Context. */
    public static final String TRACEPARENT = "traceparent";

    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");
    private static final String ALL_ZERO_TRACE = "0".repeat(32);

    private CloudEventHeaders() {
    }

    /**
     * One event's attributes.
     *
     * @param id         the event's id (unique per event; a redelivered record has the same)
     * @param eventClass the event's class, whose package names its context
     * @param revision   its revision ({@code @Revision})
     * @param time       when it happened
     * @param subject    what it is about: the record's key (an order or customer id)
     * @param dataSchema where its JSON Schema is
     * @param traceId    the trace it belongs to, or null to start one from the event's id
     */
    public record Attributes(String id, Class<?> eventClass, String revision, Instant time, String subject,
                             URI dataSchema, String traceId) {
        public Attributes {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(eventClass, "eventClass");
            Objects.requireNonNull(revision, "revision");
            Objects.requireNonNull(time, "time");
        }
    }

    /** Replaces the record's CloudEvents and trace headers with those of {@code event}. */
    public static void write(Headers headers, Attributes event) {
        put(headers, SPECVERSION, SPEC_VERSION);
        put(headers, ID, event.id());
        put(headers, SOURCE, source(event.eventClass()));
        put(headers, TYPE, type(event.eventClass(), event.revision()));
        put(headers, TIME, event.time().toString());
        if (event.subject() != null) {
            put(headers, SUBJECT, event.subject());
        }
        if (event.dataSchema() != null) {
            put(headers, DATASCHEMA, event.dataSchema().toString());
        }
        put(headers, CONTENT_TYPE, "application/json");
        put(headers, TRACEPARENT, traceparent(event.traceId() != null ? event.traceId() : event.id(), event.id()));
    }

    /** {@code io.orderflow.order.api.OrderAcceptedEvent.v2}: the class, so a reader finds its contract, and revision. */
    public static String type(Class<?> eventClass, String revision) {
        return eventClass.getName() + ".v" + revision;
    }

    /** {@code /orderflow/order}: the context that owns the event, from its package {@code io.orderflow.<context>.api}. */
    public static String source(Class<?> eventClass) {
        String[] parts = eventClass.getPackageName().split("\\.");
        return "/orderflow/" + (parts.length > 2 ? parts[2] : eventClass.getPackageName());
    }

    /** Where a deployment serves its event contracts: {@code <public base URL>/api/contracts}. */
    public static String contractsUrl(String publicBaseUrl) {
        return publicBaseUrl.replaceAll("/+$", "") + "/api/contracts";
    }

    /** Where the schema of a revision is: {@code <base>/<SimpleName>/<revision>}, as {@code GET /api/contracts} serves it. */
    public static URI dataSchema(String contractsBaseUrl, Class<?> eventClass, String revision) {
        String base = contractsBaseUrl.endsWith("/") ? contractsBaseUrl : contractsBaseUrl + "/";
        return URI.create(base + eventClass.getSimpleName() + "/" + revision);
    }

    /**
     * {@code 00-<trace id>-<parent id>-01}. The trace id is the orderflow trace id's 32 hex digits when it is a UUID
     * (the server makes them so), else a digest of it; the parent id is derived from the event id, so the same event
     * always names the same parent.
     */
    public static String traceparent(String traceId, String eventId) {
        String trace = UUID_TEXT.matcher(traceId).matches() ? traceId.replace("-", "").toLowerCase(Locale.ROOT)
                : digest(traceId).substring(0, 32);
        if (trace.equals(ALL_ZERO_TRACE)) {
            trace = digest(traceId).substring(0, 32);
        }
        String parent = digest(eventId).substring(0, 16);
        if (parent.equals("0".repeat(16))) {
            parent = "0000000000000001";
        }
        return "00-" + trace + "-" + parent + "-01";
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
