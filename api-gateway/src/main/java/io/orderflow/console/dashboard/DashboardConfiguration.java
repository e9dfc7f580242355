package io.orderflow.console.dashboard;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The inspection dashboard at {@code /dashboard}: a static page ({@code static/dashboard/}) over the operations API
 * (processors, dead letters, sagas, events and traces, Kafka topics). Its script, styles and the charting library
 * (the uPlot webjar) are served by the application, so it needs nothing from the internet.
 */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/dashboard").setViewName("forward:/dashboard/index.html");
        registry.addViewController("/dashboard/").setViewName("forward:/dashboard/index.html");
    }
}
