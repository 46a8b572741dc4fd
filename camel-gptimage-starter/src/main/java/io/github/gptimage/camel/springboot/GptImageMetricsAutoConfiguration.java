package io.github.gptimage.camel.springboot;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.service.ServiceHelper;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * With Micrometer on the classpath (Actuator brings it), records the gptimage calls and completions in the
 * application's {@link MeterRegistry}: see {@link GptImageMetricsEventNotifier}. Off with
 * {@code camel.component.gptimage.metrics.enabled=false}.
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(CamelContext.class)
@ConditionalOnProperty(name = "camel.component.gptimage.metrics.enabled", matchIfMissing = true)
public class GptImageMetricsAutoConfiguration {

    @Bean
    public CamelContextConfiguration gptImageMetrics(ObjectProvider<MeterRegistry> registries) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                MeterRegistry registry = registries.getIfUnique();
                if (registry != null) {
                    GptImageMetricsEventNotifier notifier = new GptImageMetricsEventNotifier(registry);
                    // a notifier added now is not started with the management strategy; Camel only notifies started
                    // ones (Camel Spring Boot adds its own the same way)
                    ServiceHelper.startService(notifier);
                    camelContext.getManagementStrategy().addEventNotifier(notifier);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                // nothing to do
            }
        };
    }
}
