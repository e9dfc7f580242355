package io.orderflow.projections.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads which column each parameter of an INSERT or UPDATE statement goes to, from the statement's own text, so that
 * a test can say "the status written is COMPLETED" instead of "parameter 4 is COMPLETED". It does not run or check
 * the SQL: only PostgreSQL can do that, and the integration tests do.
 */
public final class Statements {

    private static final Pattern INSERT_COLUMNS = Pattern.compile("^\\s*INSERT INTO \\w+ \\(([^)]*)\\)");
    private static final Pattern ASSIGNED_COLUMN = Pattern.compile("(\\w+) = (?:\\?|any\\(\\?\\))");

    private Statements() {
    }

    /** The columns of an INSERT's column list, or of an UPDATE's {@code column = ?} terms, in parameter order. */
    public static List<String> columns(String sql) {
        Matcher insert = INSERT_COLUMNS.matcher(sql);
        if (insert.find()) {
            List<String> columns = new ArrayList<>();
            for (String column : insert.group(1).split(",")) {
                columns.add(column.trim());
            }
            return columns;
        }
        if (sql.stripLeading().startsWith("UPDATE ")) {
            List<String> columns = new ArrayList<>();
            Matcher assigned = ASSIGNED_COLUMN.matcher(sql);
            while (assigned.find()) {
                columns.add(assigned.group(1));
            }
            return columns;
        }
        throw new IllegalArgumentException("not an INSERT or UPDATE this helper can read: " + sql);
    }

    /** The statement's parameters by the column each one is written to. */
    public static Map<String, Object> row(String sql, Object... parameters) {
        List<String> columns = columns(sql);
        if (columns.size() != parameters.length) {
            throw new AssertionError(columns.size() + " columns " + columns + " but " + parameters.length
                    + " parameters in: " + sql);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < parameters.length; i++) {
            // An array parameter (column = any(?)) reads as a list, so that rows compare by value.
            row.put(columns.get(i), parameters[i] instanceof Object[] array ? List.of(array) : parameters[i]);
        }
        return row;
    }
}
