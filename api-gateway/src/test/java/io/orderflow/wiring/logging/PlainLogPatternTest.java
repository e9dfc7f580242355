package io.orderflow.wiring.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The default run's plain-text lines show the trace and order ids as application.yml's pattern says. */
class PlainLogPatternTest {

    private final String correlation = correlationPattern();

    @Test
    void aLineAboutAnOrder_namesItsTraceAndOrder() {
        assertThat(format(Map.of("traceId", "t-1", "orderId", "o-1"))).isEqualTo("[trace=t-1 order=o-1] message");
    }

    @Test
    void aLineOfARequest_namesItsTraceOnly() {
        assertThat(format(Map.of("traceId", "t-1"))).isEqualTo("[trace=t-1] message");
    }

    @Test
    void aLineOfNeither_hasNoBrackets() {
        assertThat(format(Map.of())).isEqualTo("message");
    }

    private String format(Map<String, String> mdc) {
        LoggerContext context = new LoggerContext();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(correlation + "%m");
        layout.start();
        LoggingEvent event = new LoggingEvent();
        event.setLoggerName("test");
        event.setLevel(Level.INFO);
        event.setMessage("message");
        event.setMDCPropertyMap(new HashMap<>(mdc));
        return layout.doLayout(event);
    }

    private static String correlationPattern() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        return yaml.getObject().getProperty("logging.pattern.correlation");
    }
}
