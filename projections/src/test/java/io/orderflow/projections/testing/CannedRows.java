package io.orderflow.projections.testing;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * A result row with fixed values, for the row mappers of classes that read with JDBC. A test hands it to the class's
 * own mapper to see what the class makes of an answer; which rows PostgreSQL would answer is not decided here.
 */
public final class CannedRows {

    private CannedRows() {
    }

    /** A row whose column i (from 1) holds values[i - 1]; only the getters the projections use are answered. */
    public static ResultSet row(Object... values) {
        return (ResultSet) Proxy.newProxyInstance(CannedRows.class.getClassLoader(), new Class<?>[] {ResultSet.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "canned row" : method.invoke(values, args);
                    }
                    Object value = values[(Integer) args[0] - 1];
                    return switch (method.getName()) {
                        case "getString", "getObject" -> value;
                        case "getBigDecimal" -> (BigDecimal) value;
                        case "getLong" -> value == null ? 0L : ((Number) value).longValue();
                        case "getInt" -> value == null ? 0 : ((Number) value).intValue();
                        case "getDouble" -> value == null ? 0.0 : ((Number) value).doubleValue();
                        case "getTimestamp" -> value instanceof Instant instant ? Timestamp.from(instant) : value;
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }
}
