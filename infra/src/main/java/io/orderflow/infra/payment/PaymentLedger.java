package io.orderflow.infra.payment;

import io.orderflow.infra.payment.LedgerEntry.Status;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The simulator's ledger in PostgreSQL, one row per idempotency key.
 *
 * <p>The table belongs to the simulated provider, not to the application, so it is created here rather than by
 * the application's migrations, in the provider's own schema ({@value #SCHEMA}), which the embedded PostgreSQL gives
 * to the simulator's role and no other (the application's role cannot read it). Every write is a single statement whose outcome the primary key decides, which
 * is what makes repeated and concurrent requests for one key charge at most once.
 */
final class PaymentLedger {

    static final String SCHEMA = "payment_simulator";
    static final String TABLE = SCHEMA + ".ledger";

    // Any constant works; it only serializes concurrent CREATE TABLE IF NOT EXISTS, which can otherwise fail on
    // the catalog's unique index when two simulators share a database.
    private static final long SCHEMA_LOCK = 0x5041594d454e54L;

    private static final String COLUMNS = "idempotency_key, order_id, amount, currency, status, at";

    private final DataSource dataSource;
    private final Clock clock;

    PaymentLedger(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    void createTableIfMissing() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
                // Made by the embedded server's set-up for the simulator's role, which may not create schemas; made
                // here for a database where the simulator's user may (a test's own server).
                try (ResultSet schema = statement.executeQuery(
                        "SELECT 1 FROM pg_namespace WHERE nspname = '" + SCHEMA + "'")) {
                    if (!schema.next()) {
                        statement.execute("CREATE SCHEMA " + SCHEMA);
                    }
                }
                statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                        + "idempotency_key text PRIMARY KEY, "
                        + "order_id text, "
                        + "amount numeric, "
                        + "currency text, "
                        + "status text NOT NULL CHECK (status IN ('AUTHORIZED', 'DECLINED', 'VOIDED')), "
                        + "at timestamptz NOT NULL)");
                statement.execute("CREATE INDEX IF NOT EXISTS ledger_order_id ON " + TABLE + " (order_id)");
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /**
     * Records {@code status} for a new key and returns the key's entry: the new one, or whatever was there first,
     * untouched.
     */
    LedgerEntry recordIfAbsent(String key, String orderId, BigDecimal amount, String currency, Status status)
            throws SQLException {
        try (Connection connection = autoCommitting()) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE + " (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING")) {
                insert.setString(1, key);
                insert.setString(2, orderId);
                insert.setBigDecimal(3, amount);
                insert.setString(4, currency);
                insert.setString(5, status.name());
                insert.setObject(6, now());
                insert.executeUpdate();
            }
            return find(connection, key).orElseThrow(
                    () -> new SQLException("Ledger entry " + key + " vanished right after it was written"));
        }
    }

    /**
     * Voids an authorized key, or fences an unknown key with a tombstone; a declined or voided key stays as it is.
     * One statement, so an authorization racing with the void either lands first and is voided, or finds the
     * tombstone.
     */
    LedgerEntry voidOrFence(String key, String orderId) throws SQLException {
        try (Connection connection = autoCommitting()) {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + TABLE + " AS entry (" + COLUMNS
                    + ") VALUES (?, ?, NULL, NULL, 'VOIDED', ?) ON CONFLICT (idempotency_key) DO UPDATE"
                    + " SET status = 'VOIDED', at = EXCLUDED.at WHERE entry.status = 'AUTHORIZED'")) {
                upsert.setString(1, key);
                upsert.setString(2, orderId);
                upsert.setObject(3, now());
                upsert.executeUpdate();
            }
            return find(connection, key).orElseThrow(
                    () -> new SQLException("Ledger entry " + key + " vanished right after it was written"));
        }
    }

    Optional<LedgerEntry> find(String key) throws SQLException {
        try (Connection connection = autoCommitting()) {
            return find(connection, key);
        }
    }

    /** The latest {@code limit} entries (of one order, if it is not null), oldest first. */
    List<LedgerEntry> list(String orderId, int limit) throws SQLException {
        String sql = "SELECT * FROM (SELECT " + COLUMNS + " FROM " + TABLE
                + (orderId == null ? "" : " WHERE order_id = ?")
                + " ORDER BY at DESC, idempotency_key DESC LIMIT ?) latest ORDER BY at, idempotency_key";
        try (Connection connection = autoCommitting();
             PreparedStatement select = connection.prepareStatement(sql)) {
            int parameter = 1;
            if (orderId != null) {
                select.setString(parameter++, orderId);
            }
            select.setInt(parameter, limit);
            List<LedgerEntry> entries = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(entryOf(rows));
                }
            }
            return entries;
        }
    }

    private static Optional<LedgerEntry> find(Connection connection, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE idempotency_key = ?")) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(entryOf(rows)) : Optional.empty();
            }
        }
    }

    private static LedgerEntry entryOf(ResultSet row) throws SQLException {
        return new LedgerEntry(row.getString("idempotency_key"), row.getString("order_id"),
                row.getBigDecimal("amount"), row.getString("currency"), Status.valueOf(row.getString("status")),
                row.getObject("at", OffsetDateTime.class).toInstant());
    }

    /** A pooled connection may come with auto-commit off; each write here must commit on its own. */
    private Connection autoCommitting() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    private OffsetDateTime now() {
        // PostgreSQL keeps microseconds; truncating here keeps what is written equal to what is read back.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    }
}
