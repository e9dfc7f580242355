package io.orderflow.infra.postgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A JVM that owns an embedded PostgreSQL, for tests that kill the owner: starts the server on the data directory
 * given as argument, commits one row, prints {@code postmaster-pid=<pid>} and waits to be killed.
 */
public final class PostgresOwnerProcess {

    private PostgresOwnerProcess() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(Path.of(args[0]), 0);
        server.start();
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(),
                server.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS owner_rows (id text PRIMARY KEY)");
            statement.execute("INSERT INTO owner_rows VALUES ('committed-by-owner')");
        }
        System.out.println("postmaster-pid=" + server.postmasterPid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
