package io.orderflow.wiring;

import io.orderflow.topics.TopicInitializer;
import io.orderflow.wiring.kafka.KafkaClients;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The topic step: {@code java -jar orderflow.jar topics} creates the missing topics of {@code Topics} and brings the
 * others in line (settings, partitions), then exits. It takes the application's settings (the brokers, the
 * {@code spring.kafka.*} security settings, {@code orderflow.kafka.topics.*}) and starts nothing else: no database,
 * no processor, no web server. An operator or a deployment job runs it, with a principal that may create and alter
 * topics, before the application, which only checks them.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration(SslAutoConfiguration.class)
@Import({KafkaClients.class, KafkaTopicsConfiguration.class})
public class TopicsCommand {

    /** The first argument that runs this command instead of the application. */
    public static final String NAME = "topics";

    /** Runs the step; the exit code is 0 when the topics are as defined, 1 when the step failed. */
    public static int run(String[] args) {
        String[] settings = Stream.concat(Arrays.stream(args).skip(1),
                Stream.of("--" + KafkaTopicsConfiguration.MODE + "=apply", "--orderflow.kafka.topics.enabled=true"))
                .toArray(String[]::new);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TopicsCommand.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false).run(settings)) {
            context.getBean(TopicInitializer.class);
            System.out.println("Kafka topics applied; the application's check will find them as defined.");
            return 0;
        } catch (RuntimeException e) {
            System.err.println("The topic step failed: " + rootMessage(e));
            return 1;
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
