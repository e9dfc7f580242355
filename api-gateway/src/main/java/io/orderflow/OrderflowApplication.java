package io.orderflow;

import io.orderflow.wiring.TopicsCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import java.io.PrintStream;

/**
 * Starts orderflow: the REST gateway, the order and customer aggregates, the projections and the fulfillment
 * saga in one process. Without external servers configured, the {@code infra} module starts PostgreSQL and
 * Kafka under {@code ORDERFLOW_HOME} first.
 */
@SpringBootApplication
public class OrderflowApplication {

    /**
     * Starts the application; {@code topics} as the first argument runs the topic step instead
     * ({@link TopicsCommand}) and exits, {@code database} the embedded database's backup command.
     */
    public static void main(String[] args) {
        disableVendorUpdateCheck();
        if (args.length > 0 && TopicsCommand.NAME.equals(args[0])) {
            System.exit(TopicsCommand.run(args));
        }
        if (args.length > 0 && DATABASE_COMMAND.equals(args[0])) {
            System.exit(runDatabaseCommand(args));
        }
        SpringApplication.run(OrderflowApplication.class, args);
    }

    /** The first argument that runs the embedded database's backup command instead of the application. */
    static final String DATABASE_COMMAND = "database";

    /**
     * The backup command of the embedded PostgreSQL ({@code io.orderflow.infra.postgres.backup.DatabaseCommand}),
     * which only the development jar holds: the production jar has no embedded database to back up.
     */
    static int runDatabaseCommand(String[] args) {
        try {
            Class<?> command = Class.forName("io.orderflow.infra.postgres.backup.DatabaseCommand");
            return (int) command.getMethod("run", String[].class, PrintStream.class, PrintStream.class)
                    .invoke(null, args, System.out, System.err);
        } catch (ClassNotFoundException e) {
            System.err.println("The database command backs up the embedded PostgreSQL of the development jar "
                    + "(orderflow-dev.jar); this jar has none. An external database is backed up by its own platform "
                    + "(docs/operations/postgresql-lost.md).");
            return 2;
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            System.err.println("The database command failed: " + cause);
            return 1;
        }
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
