package io.orderflow.wiring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Refuses to start, naming every missing setting at once, when a service orderflow needs has no address, or a setting
 * that has only a development default is not given in production.
 *
 * <p>It runs before any bean exists, so that a production start without its settings fails at once and lists all of
 * them; every key here is also declared by a validated settings type (ADR 0044), which refuses the same blank value
 * when its bean is bound, naming the key, should a context be started without this check.
 *
 * <p>The development launcher (the {@code infra} module, in {@code spring-boot:run}, the tests and
 * {@code orderflow-dev.jar}) fills in its embedded servers' addresses before this check runs. The production jar
 * ({@code orderflow.jar}) has no embedded servers (ADR 0017): without this check, a missing address would surface
 * as one confusing failure deep in the start (an unresolvable placeholder, a missing bean), one at a time.
 */
public class ExternalServicesCheck implements EnvironmentPostProcessor, Ordered {

    /** A required property, the environment variable an operator sets, and what it points at. */
    record Requirement(String property, String variable, String service) {
    }

    static final List<Requirement> REQUIREMENTS = List.of(
            new Requirement("spring.datasource.url", "SPRING_DATASOURCE_URL", "PostgreSQL (a JDBC URL)"),
            new Requirement("orderflow.kafka.bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS",
                    "the Kafka brokers (host:port,...)"),
            new Requirement("orderflow.payment.provider-url", "ORDERFLOW_PAYMENT_PROVIDER_URL",
                    "the payment provider (an http(s) URL)"),
            new Requirement("spring.mail.host", "SPRING_MAIL_HOST", "the SMTP server that sends the emails"),
            new Requirement("spring.security.oauth2.resourceserver.jwt.issuer-uri", "ORDERFLOW_OIDC_ISSUER_URI",
                    "the OpenID Connect issuer whose tokens the API accepts (an https URL)"),
            new Requirement("orderflow.personal-data.master-key", "ORDERFLOW_PERSONAL_DATA_MASTER_KEY",
                    "the master key that wraps the customers' personal data keys (32 random bytes, base64: "
                            + "`openssl rand -base64 32`; keep it with the database's backups, apart from them)"),
            // Defaults to http://localhost:<port> outside the prod profile, which leaves it unset (application-prod.yml):
            // every Kafka record names its schema at this address, which consumers elsewhere must reach.
            new Requirement("orderflow.public-base-url", "ORDERFLOW_PUBLIC_BASE_URL",
                    "the address where clients and consumers reach this API (https://orders.example.com); every Kafka "
                            + "record's ce_dataschema points under it"),
            // Demo defaults outside the prod profile, which leaves them unset (application-prod.yml): a production
            // invoice must not name the demo shop, nor a customer's mail come from an undeliverable address.
            new Requirement("orderflow.billing.issuer", "ORDERFLOW_BILLING_ISSUER",
                    "who issues the invoices and credit notes, printed on every document (the shop's legal name)"),
            new Requirement("orderflow.notifications.from", "ORDERFLOW_NOTIFICATIONS_FROM",
                    "the sender address of the customers' e-mails (orders@shop.example)"));

    /** After the development launcher's post-processor, which fills in the embedded servers' addresses. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 50;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Requirement> missing = new LinkedHashMap<>();
        // The topic step (TopicsCommand) talks to Kafka alone.
        boolean topicStep = application.getAllSources().contains(TopicsCommand.class);
        for (Requirement requirement : REQUIREMENTS) {
            if (topicStep && !requirement.property().equals("orderflow.kafka.bootstrap-servers")) {
                continue;
            }
            String value = environment.getProperty(requirement.property());
            if (value == null || value.isBlank()) {
                missing.put(requirement.property(), requirement);
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingServicesException(List.copyOf(missing.values()));
        }
    }

    /** Thrown when services have no address; {@link Analyzer} turns it into Spring Boot's start-failure report. */
    public static final class MissingServicesException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        private final transient List<Requirement> missing;

        MissingServicesException(List<Requirement> missing) {
            super("orderflow cannot start: these settings are missing: " + missing.stream()
                    .map(Requirement::variable).toList());
            this.missing = missing;
        }

        String description() {
            StringBuilder text = new StringBuilder("orderflow cannot start: these settings are missing.");
            for (Requirement requirement : missing) {
                text.append("\n  ").append(requirement.variable()).append(" (").append(requirement.property())
                        .append("): ").append(requirement.service());
            }
            return text.toString();
        }
    }

    /** Reports the missing addresses without a stack trace, with what to do about them. */
    public static final class Analyzer extends AbstractFailureAnalyzer<MissingServicesException> {

        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, MissingServicesException cause) {
            return new FailureAnalysis(cause.description(), "Set the environment variables above. The production jar"
                    + " (orderflow.jar) starts no servers of its own; to run everything on this machine, use"
                    + " orderflow-dev.jar or the README's run command. The development jar starts its payment"
                    + " simulator and mail sink only when PostgreSQL and Kafka are embedded too: with an external"
                    + " database or external brokers, name the real payment provider and mail server.", cause);
        }
    }
}
