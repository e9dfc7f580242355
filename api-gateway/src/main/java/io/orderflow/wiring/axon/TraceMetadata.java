package io.orderflow.wiring.axon;

/**
 * The metadata keys that follow a request through every command and event it causes. Axon's
 * {@code MessageOriginProvider} copies the trace id; {@link AxonConfiguration} adds the client's own.
 */
public final class TraceMetadata {

    /** The system's trace id, made for each request (Axon's own key). */
    public static final String TRACE_ID = "traceId";
    /** The id a client gave its request, kept beside the system's and never used as it. */
    public static final String CLIENT_TRACE_ID = "clientTraceId";

    private TraceMetadata() {
    }
}
