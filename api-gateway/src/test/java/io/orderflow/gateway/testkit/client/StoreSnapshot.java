package io.orderflow.gateway.testkit.client;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Every table of an orderflow database as PostgreSQL COPY files, written from a running release and loaded into a
 * fresh database of a later one: the event store, snapshots, sagas and their associations, deadlines, tokens, the
 * projections and the other contexts' tables, exactly as that release wrote them.
 *
 * <p>{@code tables.txt} lists the tables in the order they are loaded, each with its columns, so that a later
 * release with more columns still loads an older snapshot (the new columns take their defaults);
 * {@code sequences.txt} holds each sequence's value. Flyway's own table is left out: the later release's schema is
 * migrated by the later release.
 *
 * <p>To write one from a release's running development jar (its {@code ORDERFLOW_HOME/endpoints.properties} names
 * the database): {@code java -cp <postgresql driver jar> StoreSnapshot.java <jdbc-url> <user> <password> <dir>}.
 */
public final class StoreSnapshot {

    private static final String TABLES = "tables.txt";
    private static final String SEQUENCES = "sequences.txt";

    private StoreSnapshot() {
    }

    public static void main(String[] args) throws SQLException {
        if (args.length != 4) {
            System.err.println("usage: StoreSnapshot <jdbc-url> <user> <password> <directory>");
            System.exit(2);
        }
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
            List<String> tables = write(connection, Path.of(args[3]));
            System.out.println("wrote " + tables.size() + " tables to " + args[3]);
        }
    }

    /** Writes every table but Flyway's to {@code directory}; answers the tables. */
    public static List<String> write(Connection connection, Path directory) throws SQLException {
        try {
            Files.createDirectories(directory);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            List<String> lines = new ArrayList<>();
            List<String> tables = tables(connection);
            for (String table : tables) {
                List<String> columns = columns(connection, table);
                try (OutputStream out = Files.newOutputStream(directory.resolve(table + ".copy"))) {
                    copy.copyOut("COPY " + table + " (" + String.join(", ", columns) + ") TO STDOUT", out);
                }
                lines.add(table + " " + String.join(",", columns));
            }
            Files.write(directory.resolve(TABLES), lines, StandardCharsets.UTF_8);
            List<String> sequences = new ArrayList<>();
            for (String sequence : sequences(connection)) {
                try (Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery("SELECT last_value, is_called FROM " + sequence)) {
                    row.next();
                    sequences.add(sequence + " " + row.getLong(1) + " " + row.getBoolean(2));
                }
            }
            Files.write(directory.resolve(SEQUENCES), sequences, StandardCharsets.UTF_8);
            return tables;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Empties every table of the database but Flyway's, loads the snapshot's rows, and sets the sequences to where
     * the release left them, so that new rows follow the old ones. Answers the rows loaded per table.
     */
    public static java.util.Map<String, Long> load(Connection connection, Path directory) throws SQLException {
        try {
            List<String> lines = Files.readAllLines(directory.resolve(TABLES), StandardCharsets.UTF_8);
            java.util.Map<String, Long> loaded = new java.util.LinkedHashMap<>();
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                List<String> present = new ArrayList<>(tables(connection));
                try (ResultSet ledger = statement.executeQuery("SELECT to_regclass('" + LEDGER + "') IS NOT NULL")) {
                    ledger.next();
                    if (ledger.getBoolean(1)) {
                        present.add(LEDGER);
                    }
                }
                if (!present.isEmpty()) {
                    statement.execute("TRUNCATE " + String.join(", ", present));
                }
                CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
                for (String line : lines) {
                    String table = line.substring(0, line.indexOf(' '));
                    String columns = line.substring(line.indexOf(' ') + 1).replace(",", ", ");
                    try (InputStream in = Files.newInputStream(directory.resolve(table + ".copy"))) {
                        loaded.put(table, copy.copyIn("COPY " + nowAt(table) + " (" + columns + ") FROM STDIN", in));
                    }
                }
                for (String line : Files.readAllLines(directory.resolve(SEQUENCES), StandardCharsets.UTF_8)) {
                    String[] sequence = line.split(" ");
                    statement.execute("SELECT setval('" + sequence[0] + "', " + Long.parseLong(sequence[1]) + ", "
                            + Boolean.parseBoolean(sequence[2]) + ")");
                }
                connection.commit();
            } catch (SQLException | IOException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            return loaded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The payment simulator's ledger, in its own schema since the database roles (ADR 0028). */
    private static final String LEDGER = "payment_simulator.ledger";

    /**
     * Where a table of an earlier release lives now: the simulator's ledger was {@code payment_simulator_ledger} in
     * the public schema (the embedded server moves it so on an old data directory).
     */
    private static String nowAt(String table) {
        return table.equals("payment_simulator_ledger") ? LEDGER : table;
    }

    private static List<String> tables(Connection connection) throws SQLException {
        return strings(connection, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                + "AND tablename <> 'flyway_schema_history' ORDER BY tablename");
    }

    private static List<String> sequences(Connection connection) throws SQLException {
        return strings(connection, "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' "
                + "ORDER BY sequencename");
    }

    private static List<String> columns(Connection connection, String table) throws SQLException {
        return strings(connection, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                + "AND table_name = '" + table + "' ORDER BY ordinal_position");
    }

    private static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
