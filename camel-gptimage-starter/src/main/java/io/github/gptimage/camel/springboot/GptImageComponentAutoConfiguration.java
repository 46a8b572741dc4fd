package io.github.gptimage.camel.springboot;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.github.gptimage.camel.GptImageComponent;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.ComponentConfigurationProperties;
import org.apache.camel.spring.boot.util.CamelPropertiesHelper;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;

/**
 * Configures the {@code gptimage} component from the Spring Boot properties {@code camel.component.gptimage.*}, as
 * Camel's own starters do: a {@link ComponentCustomizer} applied when Camel creates the component. With
 * {@code camel.component.gptimage.store=jdbc} the component's task store is the durable JDBC store on the
 * application's {@link DataSource} bean.
 * <p>
 * Health: Camel Spring Boot's {@code camelHealth} indicator (and, with probes enabled, the liveness and readiness
 * groups) reports Camel's health checks, the gptimage consumers' ones included; nothing gptimage-specific is needed
 * here.
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@ConditionalOnHierarchicalProperties({ "camel.component", "camel.component.gptimage" })
@EnableConfigurationProperties({ ComponentConfigurationProperties.class, GptImageComponentConfiguration.class })
public class GptImageComponentAutoConfiguration {

    static final String DATA_SOURCE_OPTION = "dataSource";

    @Lazy
    @Bean
    public ComponentCustomizer configureGptImageComponent(ApplicationContext applicationContext,
                                                          GptImageComponentConfiguration configuration,
                                                          ObjectProvider<DataSource> dataSources) {
        return new ComponentCustomizer() {
            @Override
            public void configure(String name, Component target) {
                Map<String, Object> options = configuration.componentOptions();
                applyStore(configuration.getStore(), options, dataSources);
                // fails on an option the component does not take instead of ignoring it
                CamelPropertiesHelper.setCamelProperties(target.getCamelContext(), target, options, true);
            }

            @Override
            public boolean isEnabled(String name, Component target) {
                return HierarchicalPropertiesEvaluator.evaluate(applicationContext, "camel.component.customizer",
                        "camel.component.gptimage.customizer")
                       && target instanceof GptImageComponent;
            }
        };
    }

    static void applyStore(GptImageStoreKind store, Map<String, Object> options, ObjectProvider<DataSource> dataSources) {
        if (store == GptImageStoreKind.MEMORY && options.containsKey(DATA_SOURCE_OPTION)) {
            throw new IllegalStateException("camel.component.gptimage.store=memory contradicts"
                                            + " camel.component.gptimage.data-source, which makes the JDBC store the"
                                            + " default: remove one of them");
        }
        if (store != GptImageStoreKind.JDBC || options.containsKey(DATA_SOURCE_OPTION)) {
            return;
        }
        DataSource dataSource = dataSources.getIfUnique();
        if (dataSource == null) {
            List<DataSource> all = dataSources.orderedStream().toList();
            throw new IllegalStateException("camel.component.gptimage.store=jdbc needs the application's DataSource, but"
                                            + (all.isEmpty()
                                                    ? " there is none (add spring-boot-starter-jdbc, a driver and"
                                                      + " spring.datasource.url)"
                                                    : " there are " + all.size() + " and none is primary")
                                            + ": or name one with camel.component.gptimage.data-source=#beanName");
        }
        options.put(DATA_SOURCE_OPTION, dataSource);
    }
}
