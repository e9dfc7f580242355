package io.orderflow.wiring.instance;

import java.lang.management.ManagementFactory;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The name this application instance goes by among several: in the token store's segment claims, in the deadline
 * scheduler's claims, and in the logs. Set with {@code ORDERFLOW_INSTANCE_ID} (a Kubernetes pod name, say), or made
 * from the process ({@code pid@host}).
 *
 * <p>The token store's owner adds a suffix of its own to the name, so that two processes given the same name by
 * mistake (or two application contexts in one JVM) never take each other's claims for their own.
 *
 * @param name  the instance's name
 * @param owner the name the token store claims segments under: the name and a suffix unique to this context
 */
public record InstanceId(String name, String owner) {

    /** Letters, digits, and {@code . _ - @}, up to 64 characters: fits every column and log line it goes into. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    /**
     * The instance's identity from its configured name, or a generated one when {@code configured} is blank.
     *
     * @throws IllegalArgumentException a configured name with other characters, or longer than 64
     */
    public static InstanceId of(String configured) {
        String name = configured == null || configured.isBlank()
                ? ManagementFactory.getRuntimeMXBean().getName() : configured.strip();
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("ORDERFLOW_INSTANCE_ID (orderflow.instance-id) must be 1 to 64 "
                    + "letters, digits, '.', '_', '-' or '@', starting with a letter or digit; was '" + name + "'");
        }
        return new InstanceId(name, name + "/" + UUID.randomUUID().toString().substring(0, 8));
    }
}
