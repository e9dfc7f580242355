package io.orderflow;

import io.orderflow.wiring.TopicsCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Starts orderflow: the REST gateway, the order and customer aggregates, the projections and the fulfillment
 * saga in one process. Without external servers configured, the {@code infra} module starts PostgreSQL and
 * Kafka under {@code ORDERFLOW_HOME} first.
 */
@SpringBootApplication
public class OrderflowApplication {

    /**
     * Starts the application; {@code topics} as the first argument runs the topic step instead
     * ({@link TopicsCommand}) and exits.
     */
    public static void main(String[] args) {
        disableVendorUpdateCheck();
        if (args.length > 0 && TopicsCommand.NAME.equals(args[0])) {
            System.exit(TopicsCommand.run(args));
        }
        SpringApplication.run(OrderflowApplication.class, args);
    }

    /**
     * Axon 4.13's update checker calls the vendor and writes to the home folder; nothing here may depend on the
     * internet, and it reads only system properties and environment variables, so it is switched off here.
     */
    static void disableVendorUpdateCheck() {
        if (System.getProperty("axoniq.update-checker.disabled") == null) {
            System.setProperty("axoniq.update-checker.disabled", "true");
        }
    }
}
