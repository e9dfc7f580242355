package io.orderflow.infra.mail;

import io.orderflow.infra.EmbeddedInfrastructureEnvironmentPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Starts the embedded {@link SmtpServer} on the port the {@link EmbeddedInfrastructureEnvironmentPostProcessor}
 * chose, and stops it with the context. It applies only when that post-processor pointed {@value #MAIL_HOST} at it;
 * a mail host the user set is a real server, and then nothing is started.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.autoconfigure.mail.MailSenderAutoConfiguration")
@Conditional(SmtpServerAutoConfiguration.SmtpServerChosen.class)
public class SmtpServerAutoConfiguration {

    /** Spring's mail host (env {@code SPRING_MAIL_HOST}); when set, mail goes to that server. */
    public static final String MAIL_HOST = "spring.mail.host";
    /** Spring's mail port. */
    public static final String MAIL_PORT = "spring.mail.port";
    /** Whether the embedded SMTP server may start when no mail host is given (default true). */
    public static final String ENABLED = "orderflow.mail.smtp-server.enabled";
    /** The embedded SMTP server's port, 0 (the default) for a free one. */
    public static final String PORT = "orderflow.mail.smtp-server.port";

    @Bean(destroyMethod = "stop")
    @ConditionalOnMissingBean
    public SmtpServer orderflowSmtpServer(Environment environment) {
        return SmtpServer.start(environment.getRequiredProperty(MAIL_PORT, Integer.class));
    }

    /** Matches when the mail host is the one the post-processor chose for the embedded server. */
    static final class SmtpServerChosen extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            if (context.getEnvironment() instanceof ConfigurableEnvironment environment) {
                PropertySource<?> chosen = environment.getPropertySources()
                        .get(EmbeddedInfrastructureEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
                if (chosen != null && chosen.containsProperty(MAIL_HOST)) {
                    return ConditionOutcome.match("spring.mail.host points at the embedded SMTP server");
                }
            }
            return ConditionOutcome.noMatch("spring.mail.host names an external server, or the embedded SMTP "
                    + "server or the embedded infrastructure is disabled");
        }
    }
}
