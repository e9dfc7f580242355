package io.orderflow.infra.postgres;

import io.orderflow.infra.support.OwnerOnlyFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The embedded server's roles, least privilege each, and their passwords (made at the first start, kept in a file
 * only the owner can read, checked with scram-sha-256):
 * <ul>
 *   <li>{@value #SUPERUSER}: the server's superuser, used only to set the server up (roles, ownership);</li>
 *   <li>{@value #OWNER}: owns the application's database and every table in it, and runs the migrations
 *       (Flyway);</li>
 *   <li>{@value #APP}: the application at run time: reads and writes rows of its tables, appends to the event store
 *       but never changes or deletes a stored event, creates nothing;</li>
 *   <li>{@value #SIMULATOR}: the payment simulator, owner of its ledger in schema {@value #SIMULATOR_SCHEMA}, which
 *       no other role but the superuser may read;</li>
 *   <li>{@value #CONNECT}: Kafka Connect: logical replication of the captured tables (Debezium) and the reporting
 *       schema's rows (the JDBC sink).</li>
 * </ul>
 *
 * @param passwords role name to password
 */
public record DatabaseRoles(Properties passwords) {

    public static final String SUPERUSER = "postgres";
    public static final String OWNER = "orderflow_owner";
    public static final String APP = "orderflow_app";
    public static final String SIMULATOR = "orderflow_simulator";
    public static final String CONNECT = "orderflow_connect";
    /** The payment simulator's schema: its ledger, apart from the application's tables. */
    public static final String SIMULATOR_SCHEMA = "payment_simulator";

    static final List<String> ALL = List.of(SUPERUSER, OWNER, APP, SIMULATOR, CONNECT);

    /** Reads the passwords kept in {@code file}, making the missing ones. */
    static DatabaseRoles loadOrCreate(Path file) {
        try {
            return new DatabaseRoles(OwnerOnlyFiles.loadWithSecrets(file, ALL,
                    "Passwords of the embedded PostgreSQL's roles (scram-sha-256). Losing this file locks the "
                            + "server: the roles' passwords cannot be read back from it."));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the database passwords in " + file, e);
        }
    }

    /** The password of {@code role}, one of the roles above. */
    public String passwordOf(String role) {
        String password = passwords.getProperty(role);
        if (password == null) {
            throw new IllegalArgumentException("the embedded PostgreSQL has no role " + role);
        }
        return password;
    }
}
