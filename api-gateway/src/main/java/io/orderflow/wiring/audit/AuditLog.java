package io.orderflow.wiring.audit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The operator audit log in PostgreSQL ({@code operator_audit}): appended to, read newest first. */
@Component
public class AuditLog {

    public static final int MAX_LIMIT = 1000;

    private final JdbcTemplate jdbc;

    AuditLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One operator action and how it ended. */
    public record Entry(long id, Instant at, String actor, String action, String target, int status, String outcome,
                        String traceId) {
    }

    void append(Instant at, String actor, String action, String target, int status, String outcome, String traceId) {
        jdbc.update("INSERT INTO operator_audit (at, actor, action, target, status, outcome, trace_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)", Timestamp.from(at), cut(actor, 200), action,
                cut(target, 300), status, cut(outcome, 300), traceId == null ? null : cut(traceId, 64));
    }

    /** The newest entries first, at most {@code limit}, of one actor if {@code actor} is not null. */
    public List<Entry> newest(int limit, String actor) {
        StringBuilder sql = new StringBuilder("SELECT id, at, actor, action, target, status, outcome, trace_id "
                + "FROM operator_audit");
        List<Object> arguments = new ArrayList<>();
        if (actor != null) {
            sql.append(" WHERE actor = ?");
            arguments.add(actor);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        arguments.add(Math.min(limit, MAX_LIMIT));
        return jdbc.query(sql.toString(), (row, n) -> new Entry(row.getLong("id"),
                row.getTimestamp("at").toInstant(), row.getString("actor"), row.getString("action"),
                row.getString("target"), row.getInt("status"), row.getString("outcome"), row.getString("trace_id")),
                arguments.toArray());
    }

    private static String cut(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }
}
