package io.orderflow.gateway.web;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The trace id that follows one client request through commands, events, Kafka records and the saga. A client
 * may bring its own in {@code X-Trace-Id}; otherwise one is made. Either way the response carries it.
 */
public final class TraceIds {

    public static final String HEADER = "X-Trace-Id";
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

    private TraceIds() {
    }

    public static String fromHeaderOrNew(String header) {
        if (header != null && ACCEPTABLE.matcher(header).matches()) {
            return header;
        }
        return UUID.randomUUID().toString();
    }
}
