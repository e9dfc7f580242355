package io.orderflow.projections.ordersummary;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.orderflow.projections.testing.Statements;
import org.mockito.Mockito;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The order summary rows that {@link OrderSummaryWrites} inserted, kept in a map and read back through a fake
 * {@link OrderSummaryRepository}, so that a test can feed events and read the answers of the query handlers.
 *
 * <p>What this does not do, on purpose: answer SQL. The one read the writes make (the rows of the orders a batch
 * names) is answered "none stored", which is true while each order's events come in one batch; a batch that names an
 * order already stored in its generation fails the test, because serving that row back would mean playing
 * PostgreSQL. Reading stored rows into a later batch, and the UPDATE of them, are covered against PostgreSQL by the
 * integration tests (api-gateway), not here.
 */
final class WrittenOrderSummaries {

    /** Reads the JSON columns the way Hibernate does for the entity: ISO-8601 dates, records. */
    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private final Map<OrderSummaryEntity.Key, Map<String, Object>> rows = new LinkedHashMap<>();
    /** The orders each batch read asked for, and in which generation. */
    final List<BatchRead> batchReads = new ArrayList<>();
    /** How many rows each batched INSERT carried, in order. */
    final List<Integer> inserts = new ArrayList<>();

    record BatchRead(int generation, List<UUID> orders) {
    }

    /** A JdbcTemplate that takes the writes' batch read and batched inserts, and refuses any other call. */
    JdbcTemplate jdbc() {
        return Mockito.mock(JdbcTemplate.class, invocation -> {
            String method = invocation.getMethod().getName();
            Object[] args = invocation.getRawArguments();
            if (method.equals("query") && args.length == 3 && args[1] instanceof RowCallbackHandler) {
                Object[] parameters = (Object[]) args[2];
                batchRead((Integer) parameters[0], Arrays.asList((UUID[]) parameters[1]));
                return null;
            }
            if (method.equals("batchUpdate") && args.length == 2 && args[1] instanceof List<?> batch) {
                return write((String) args[0], batch);
            }
            if (method.equals("toString")) {
                return "written order summaries";
            }
            throw new UnsupportedOperationException("unexpected JDBC call " + invocation);
        });
    }

    private void batchRead(int generation, List<UUID> orders) {
        for (UUID order : orders) {
            if (rows.containsKey(new OrderSummaryEntity.Key(generation, order))) {
                throw new AssertionError("a batch names order " + order + ", already stored in generation "
                        + generation + "; reading it back needs PostgreSQL: keep each order's events in one batch");
            }
        }
        batchReads.add(new BatchRead(generation, List.copyOf(orders)));
    }

    private int[] write(String sql, List<?> batch) {
        if (!sql.startsWith("INSERT INTO order_summary ")) {
            throw new AssertionError("only new summaries can be written while no stored row is read: " + sql);
        }
        for (Object parameters : batch) {
            Map<String, Object> row = Statements.row(sql, (Object[]) parameters);
            OrderSummaryEntity.Key key = new OrderSummaryEntity.Key((Integer) row.get("generation"),
                    (UUID) row.get("order_id"));
            if (rows.putIfAbsent(key, row) != null) {
                throw new AssertionError("order " + key + " inserted twice");
            }
        }
        inserts.add(batch.size());
        int[] counts = new int[batch.size()];
        Arrays.fill(counts, 1);
        return counts;
    }

    boolean holds(int generation, UUID orderId) {
        return rows.containsKey(new OrderSummaryEntity.Key(generation, orderId));
    }

    /** The row as written, by column. */
    Map<String, Object> written(int generation, UUID orderId) {
        return rows.get(new OrderSummaryEntity.Key(generation, orderId));
    }

    /** The repository calls the projection's queries make, on the written rows; anything else fails loudly. */
    OrderSummaryRepository repository() {
        return (OrderSummaryRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {OrderSummaryRepository.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "findById" -> Optional.ofNullable(rows.get((OrderSummaryEntity.Key) args[0]))
                            .map(WrittenOrderSummaries::entity);
                    case "findByGenerationAndCustomerId" -> page((Integer) args[0], (UUID) args[1],
                            (Pageable) args[2]);
                    case "toString" -> "order summary repository";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The customer's rows in the generation, sorted and cut as the pageable asks, as Spring Data would. */
    private Page<OrderSummaryEntity> page(int generation, UUID customerId, Pageable pageable) {
        Comparator<OrderSummaryEntity> order = (a, b) -> 0;
        for (Sort.Order by : pageable.getSort()) {
            Comparator<OrderSummaryEntity> property = Comparator.comparing(entity -> property(entity, by));
            order = order.thenComparing(by.isAscending() ? property : property.reversed());
        }
        List<OrderSummaryEntity> all = rows.values().stream()
                .filter(row -> row.get("generation").equals(generation) && row.get("customer_id").equals(customerId))
                .map(WrittenOrderSummaries::entity).sorted(order).toList();
        int from = (int) Math.min(pageable.getOffset(), all.size());
        int to = Math.min(from + pageable.getPageSize(), all.size());
        return new PageImpl<>(all.subList(from, to), pageable, all.size());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable<Object> property(OrderSummaryEntity entity, Sort.Order by) {
        try {
            Field field = OrderSummaryEntity.class.getDeclaredField(by.getProperty());
            field.setAccessible(true);
            return (Comparable) field.get(entity);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the query sorts by " + by.getProperty() + ", which the entity does not have", e);
        }
    }

    /**
     * The entity JPA would read from the row: every field from its column (order_id into orderId, ...), the JSON
     * columns parsed. A field without a column fails, so an INSERT that leaves a column out is caught.
     */
    private static OrderSummaryEntity entity(Map<String, Object> row) {
        OrderSummaryEntity entity = new OrderSummaryEntity();
        try {
            for (Field field : OrderSummaryEntity.class.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                String column = field.getName().replaceAll("([A-Z])", "_$1").toLowerCase();
                if (!row.containsKey(column)) {
                    throw new AssertionError("no column " + column + " written for field " + field.getName());
                }
                Object value = row.get(column);
                if (value instanceof Timestamp timestamp) {
                    value = timestamp.toInstant();
                } else if (value instanceof String text && field.getType() != String.class) {
                    value = JSON.readValue(text, JSON.constructType(field.getGenericType()));
                }
                field.setAccessible(true);
                field.set(entity, value);
            }
        } catch (ReflectiveOperationException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
        return entity;
    }
}
