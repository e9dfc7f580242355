package io.orderflow.console.admin;

import io.orderflow.fulfillment.settings.PaymentProperties;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.Optional;
import java.util.UUID;

/** The payment provider's ledger ({@code GET /v1/ledger}), read with the configured provider timeouts. */
@Component
class PaymentLedger {

    private static final Logger log = LoggerFactory.getLogger(PaymentLedger.class);

    /** An order's entries: its authorizations and voids, a handful. */
    private static final int ONE_ORDER = 100;

    private final RestClient provider;

    PaymentLedger(PaymentProperties payment) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(payment.connectTimeout());
        requests.setReadTimeout(payment.requestTimeout());
        this.provider = RestClient.builder().baseUrl(payment.providerUrl()).requestFactory(requests).build();
    }

    /** The ledger entries of one order; empty if the provider did not answer. */
    Optional<JsonNode> entries(UUID orderId) {
        return entries(orderId, ONE_ORDER);
    }

    /**
     * The latest {@code limit} ledger entries (of one order, or of all), oldest first; empty if the provider did not
     * answer. The provider applies the limit: a listing never moves the whole ledger.
     */
    Optional<JsonNode> entries(UUID orderId, int limit) {
        String uri = UriComponentsBuilder.fromPath("/v1/ledger")
                .queryParamIfPresent("orderId", Optional.ofNullable(orderId))
                .queryParam("limit", limit).toUriString();
        try {
            return Optional.ofNullable(provider.get().uri(uri).retrieve().body(JsonNode.class));
        } catch (RestClientException e) {
            // The provider is another system: its being down is no client's mistake, and no error of ours either.
            log.warn("The payment provider's ledger could not be read: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
