package io.orderflow.gateway.web;

import io.orderflow.projections.api.ProjectionChanges;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Listens for the projections' change notices ({@link ProjectionChanges}) on one database connection of its own,
 * outside the pool, and hands them to {@link ReadYourWrites}. Waiting for a notice reads the socket; it sends no
 * query (but for a check that the connection lives, every 30 s). If the connection is lost it is opened again after
 * a second; meanwhile waiting reads are answered at their deadline, with what the projection has by then.
 */
@Component
class ProjectionChangeListener implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionChangeListener.class);
    private static final int WAIT_MILLIS = 500;
    private static final long CHECK_EVERY_NANOS = 30_000_000_000L;

    private final DataSourceProperties database;
    private final ReadYourWrites readers;
    private volatile boolean running;
    private Thread thread;

    ProjectionChangeListener(DataSourceProperties database, ReadYourWrites readers) {
        this.database = database;
        this.readers = readers;
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::listen, "projection-change-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        boolean warned = false;
        while (running) {
            try (Connection connection = open()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + ProjectionChanges.CHANNEL);
                }
                if (warned) {
                    LOG.info("Listening for projection changes again");
                    warned = false;
                }
                PGConnection notices = connection.unwrap(PGConnection.class);
                long nextCheck = System.nanoTime() + CHECK_EVERY_NANOS;
                while (running) {
                    if (System.nanoTime() > nextCheck) {
                        // A connection lost without a word (a network black hole) would otherwise just stay
                        // silent: one small query every half minute finds out.
                        try (Statement check = connection.createStatement()) {
                            check.setQueryTimeout(5);
                            check.execute("SELECT 1");
                        }
                        nextCheck = System.nanoTime() + CHECK_EVERY_NANOS;
                    }
                    PGNotification[] received = notices.getNotifications(WAIT_MILLIS);
                    if (received != null) {
                        for (PGNotification notice : received) {
                            ProjectionChanges.Notice.parse(notice.getParameter()).ifPresent(readers::changed);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!warned) {
                    LOG.warn("Not listening for projection changes ({}); reads with minVersion are answered at "
                            + "their deadline until the connection is back", e.getMessage());
                    warned = true;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Connection open() throws SQLException {
        Properties properties = new Properties();
        if (database.determineUsername() != null) {
            properties.setProperty("user", database.determineUsername());
        }
        if (database.determinePassword() != null) {
            properties.setProperty("password", database.determinePassword());
        }
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "orderflow projection-change-listener");
        return DriverManager.getConnection(database.determineUrl(), properties);
    }
}
