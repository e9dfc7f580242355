package io.orderflow.fulfillment;

import io.orderflow.fulfillment.settings.CrashPointProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;

import java.io.IOException;
import java.util.Set;

/**
 * Named places in the fulfillment flow where the crash tests kill the application with SIGKILL, so that "kill it in
 * the middle of the saga, at each step" hits each step for certain instead of by luck. Off unless
 * {@code orderflow.crash-points} names one or more points; nothing in a normal run sets it, and the production jar
 * (which has no development launcher) and the prod profile refuse to start when it is set.
 */
@Component
public class CrashPoints {

    /** After the stock of an order is reserved and before its payment is asked for. */
    public static final String AFTER_STOCK_RESERVED = "after-stock-reserved";
    /** Inside the payment step, before the provider is called. */
    public static final String BEFORE_PAYMENT_CALL = "before-payment-call";
    /** Inside the payment step, after the provider answered and before the answer is recorded. */
    public static final String AFTER_PAYMENT_ANSWER = "after-payment-answer";
    /** After the payment is recorded and before the shipment is arranged. */
    public static final String BEFORE_SHIPMENT = "before-shipment";
    /** Inside a compensation, after the first undo step and before the rest. */
    public static final String DURING_COMPENSATION = "during-compensation";

    private static final Logger log = LoggerFactory.getLogger(CrashPoints.class);

    private final Set<String> armed;

    /** The development launcher's class: present in the development jar and the tests, absent from production. */
    static final String DEVELOPMENT_LAUNCHER = "io.orderflow.infra.EmbeddedInfrastructure";

    /** The profile of production runs, which honour no crash point even in the development jar. */
    static final String PRODUCTION_PROFILE = "prod";

    @Autowired
    public CrashPoints(CrashPointProperties settings, Environment environment) {
        this(settings.crashPoints(), ClassUtils.isPresent(DEVELOPMENT_LAUNCHER, CrashPoints.class.getClassLoader())
                && !environment.matchesProfiles(PRODUCTION_PROFILE));
    }

    /**
     * @param developmentBuild whether the process is a development run: the development launcher is present and the
     *                         prod profile is not active
     * @throws IllegalStateException if points are armed in a production build or under the prod profile: a setting
     *                               that lets a process kill itself is a test hook, and production refuses to start
     *                               with it
     */
    CrashPoints(Set<String> armed, boolean developmentBuild) {
        this.armed = Set.copyOf(armed);
        if (!this.armed.isEmpty()) {
            if (!developmentBuild) {
                throw new IllegalStateException("orderflow.crash-points (ORDERFLOW_CRASH_POINTS) is set to " + armed
                        + ": it is a test hook that makes the process kill itself, honoured only by the development "
                        + "launcher (orderflow-dev.jar and the tests) outside the prod profile; unset it");
            }
            log.warn("Crash points armed: {}. The process kills itself with SIGKILL when it reaches one.", armed);
        }
    }

    /** A crash point that never fires, for tests of the code around it. */
    public static CrashPoints none() {
        return new CrashPoints(Set.of(), false);
    }

    /** Kills this process with SIGKILL if the named point is armed; returns otherwise. */
    public void reach(String point) {
        if (!armed.contains(point)) {
            return;
        }
        long pid = ProcessHandle.current().pid();
        log.error("Crash point {} reached: sending SIGKILL to process {}", point, pid);
        try {
            new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start().waitFor();
            Thread.sleep(10_000);
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Only reached if the signal could not be sent: end as abruptly as a kill would.
        Runtime.getRuntime().halt(137);
    }
}
