package io.orderflow.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.web.Problems;
import io.orderflow.gateway.web.RequestFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriComponentsBuilder;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The payment provider's ledger, as the provider reports it ({@code GET /v1/ledger}): one entry per authorization,
 * so a test or an operator can count the charges of an order.
 */
@RestController
@RequestMapping(path = "/api/admin/payments", produces = {MediaType.APPLICATION_JSON_VALUE,
        MediaType.APPLICATION_PROBLEM_JSON_VALUE})
class PaymentsController {

    private static final Logger log = LoggerFactory.getLogger(PaymentsController.class);

    private final RestClient provider;

    PaymentsController(@Value("${orderflow.payment.provider-url}") String providerUrl,
                       @Value("${orderflow.payment.connect-timeout:1s}") Duration connectTimeout,
                       @Value("${orderflow.payment.request-timeout:2s}") Duration requestTimeout) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(connectTimeout);
        requests.setReadTimeout(requestTimeout);
        this.provider = RestClient.builder().baseUrl(providerUrl).requestFactory(requests).build();
    }

    @GetMapping
    ResponseEntity<?> ledger(@RequestParam(required = false) String orderId) {
        RequestFields fields = new RequestFields();
        UUID order = orderId == null ? null : fields.read("orderId", () -> UUID.fromString(orderId));
        fields.throwIfInvalid();
        String uri = UriComponentsBuilder.fromPath("/v1/ledger")
                .queryParamIfPresent("orderId", Optional.ofNullable(order)).toUriString();
        try {
            JsonNode ledger = provider.get().uri(uri).retrieve().body(JsonNode.class);
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(ledger);
        } catch (RestClientException e) {
            // The provider is another system: its being down is no client's mistake, and no error of ours either.
            log.warn("The payment provider's ledger could not be read: {}", e.getMessage());
            return ResponseEntity.status(HttpStatus.BAD_GATEWAY).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(Problems.of(HttpStatus.BAD_GATEWAY, "provider-unavailable",
                            "The payment provider did not answer", "the provider's ledger could not be read"));
        }
    }
}
