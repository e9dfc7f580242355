package io.orderflow.gateway.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.fulfillment.api.StockLine;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReleaseStockCommand;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationResult;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReservationState;
import io.orderflow.fulfillment.inventory.InventoryCommands.ReserveStockCommand;
import io.orderflow.fulfillment.inventory.InventoryCommands.ShipReservedStockCommand;
import io.orderflow.fulfillment.payment.PaymentCommands.AuthorizePaymentCommand;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentResult;
import io.orderflow.fulfillment.payment.PaymentCommands.PaymentState;
import io.orderflow.fulfillment.payment.PaymentCommands.VoidPaymentCommand;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ArrangeShipmentCommand;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ShipmentResult;
import io.orderflow.fulfillment.shipment.ShipmentCommands.ShipmentState;
import io.orderflow.order.api.Money;
import io.orderflow.order.api.OrderId;
import io.orderflow.order.api.Sku;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The checkout that orderflow replaces, as a baseline: one HTTP request validates the order (prices from the
 * catalogue), takes the delivery address from the request, reserves stock, charges the customer and arranges the
 * shipment, each a synchronous call to the same participants orderflow uses (their commands, the same payment
 * provider), and answers only when all are done: 200 if the order was fulfilled, 409 if it was refused (out of stock,
 * declined, no carrier), 503 if a participant could not answer (undoing what was done). Served by the JDK's HTTP
 * server on a loopback port with 64 request threads; benchmark code, never part of the product.
 */
final class SynchronousCheckout implements AutoCloseable {

    private final CommandGateway commands;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(64);
    /** Unexpected failures by kind, for the report. */
    final java.util.Map<String, Integer> errors = new java.util.concurrent.ConcurrentHashMap<>();

    SynchronousCheckout(CommandGateway commands, JdbcTemplate jdbc) throws IOException {
        this.commands = commands;
        this.jdbc = jdbc;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.createContext("/checkout", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/checkout";
    }

    private void handle(HttpExchange exchange) throws IOException {
        int status;
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            Outcome outcome = checkout(json.readTree(in));
            status = outcome.status();
            body = "{\"outcome\":\"" + outcome.name() + "\"}";
        } catch (RuntimeException e) {
            status = 503;
            body = "{\"outcome\":\"ERROR\"}";
            errors.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    enum Outcome {
        FULFILLED(200), OUT_OF_STOCK(409), PAYMENT_DECLINED(409), SHIPMENT_FAILED(409), INVALID(400),
        PAYMENT_UNAVAILABLE(503);

        private final int status;

        Outcome(int status) {
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** The chain, one synchronous call after another, undoing what was done when a later step fails. */
    private Outcome checkout(JsonNode order) {
        OrderId orderId = new OrderId(UUID.randomUUID());
        String currency = order.path("currency").asText();
        List<StockLine> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode line : order.path("lines")) {
            String sku = line.path("sku").asText();
            int quantity = line.path("quantity").asInt();
            List<BigDecimal> price = jdbc.query("select unit_price from catalogue_item where sku = ? and currency = ?",
                    (row, i) -> row.getBigDecimal(1), sku, currency);
            if (price.isEmpty() || quantity < 1) {
                return Outcome.INVALID;
            }
            lines.add(new StockLine(new Sku(sku), quantity));
            total = total.add(price.get(0).multiply(BigDecimal.valueOf(quantity)));
        }
        total = total.setScale(2, RoundingMode.HALF_UP); // the catalogue keeps 4 decimals, money has 2
        JsonNode to = order.path("deliveryAddress");
        PostalAddress address = new PostalAddress(to.path("street").asText(), to.path("city").asText(),
                to.path("postalCode").asText(), to.path("country").asText());

        ReservationResult reserved = commands.sendAndWait(new ReserveStockCommand(orderId, lines));
        if (reserved.state() != ReservationState.RESERVED) {
            return Outcome.OUT_OF_STOCK;
        }
        PaymentResult payment = commands.sendAndWait(
                new AuthorizePaymentCommand(orderId, Money.of(total.toPlainString(), currency), 1));
        if (payment.state() != PaymentState.AUTHORIZED) {
            if (payment.state() == PaymentState.UNDECIDED) {
                undo(orderId, true);
                return Outcome.PAYMENT_UNAVAILABLE;
            }
            undo(orderId, false);
            return Outcome.PAYMENT_DECLINED;
        }
        ShipmentResult shipment = commands.sendAndWait(new ArrangeShipmentCommand(orderId,
                CustomerId.of(order.path("customerId").asText()), address));
        if (shipment.state() != ShipmentState.ARRANGED) {
            undo(orderId, true);
            return Outcome.SHIPMENT_FAILED;
        }
        commands.sendAndWait(new ShipReservedStockCommand(orderId));
        return Outcome.FULFILLED;
    }

    private void undo(OrderId orderId, boolean voidPayment) {
        if (voidPayment) {
            try {
                commands.sendAndWait(new VoidPaymentCommand(orderId));
            } catch (RuntimeException e) {
                // The provider is unreachable; a real chain would leave this to a reconciliation job.
            }
        }
        commands.sendAndWait(new ReleaseStockCommand(orderId));
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
