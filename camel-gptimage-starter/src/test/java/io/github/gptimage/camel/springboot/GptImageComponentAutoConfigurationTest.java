package io.github.gptimage.camel.springboot;

import javax.sql.DataSource;

import io.github.gptimage.camel.GptImageComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the auto-configuration maps camel.component.gptimage.* onto the component, without a web server: durations,
 * endpoint defaults on the component's configuration, bean references, switching it off, and the store property.
 */
class GptImageComponentAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class,
                    GptImageComponentAutoConfiguration.class))
            .withPropertyValues("camel.component.gptimage.api-key=runner-key");

    private static GptImageComponent component(org.springframework.context.ApplicationContext context) {
        return context.getBean(CamelContext.class).getComponent("gptimage", GptImageComponent.class);
    }

    private static DataSource h2(String name) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        return dataSource;
    }

    @Test
    void optionsOfEveryKindReachTheComponent() {
        runner.withPropertyValues(
                "camel.component.gptimage.base-url=http://localhost:1",
                "camel.component.gptimage.n-variants=2",
                "camel.component.gptimage.wait-for-completion=true",
                "camel.component.gptimage.timeout=5m",
                "camel.component.gptimage.connect-timeout=750",
                "camel.component.gptimage.final-retention=2h",
                "camel.component.gptimage.max-concurrent-polls=3",
                "camel.component.gptimage.callback-path=/images/callback",
                "camel.component.gptimage.node-id=node-a",
                "camel.component.gptimage.credit-budget=5000",
                "camel.component.gptimage.credit-budget-period=1h",
                "camel.component.gptimage.max-submits-per-second=2.5").run(context -> {
                    GptImageComponent component = component(context);
                    assertThat(component.getConfiguration().getApiKey()).isEqualTo("runner-key");
                    assertThat(component.getConfiguration().getBaseUrl()).isEqualTo("http://localhost:1");
                    assertThat(component.getConfiguration().getNVariants()).isEqualTo(2);
                    assertThat(component.getConfiguration().isWaitForCompletion()).isTrue();
                    assertThat(component.getConfiguration().getTimeout()).isEqualTo(300_000);
                    assertThat(component.getConfiguration().getConnectTimeout()).isEqualTo(750);
                    assertThat(component.getConfiguration().getMaxConcurrentPolls()).isEqualTo(3);
                    assertThat(component.getFinalRetention()).isEqualTo(7_200_000);
                    assertThat(component.getCallbackPath()).isEqualTo("/images/callback");
                    assertThat(component.getNodeId()).isEqualTo("node-a");
                    assertThat(component.getConfiguration().getCreditBudget()).isEqualTo(5000);
                    assertThat(component.getConfiguration().getCreditBudgetPeriod()).isEqualTo(3_600_000);
                    assertThat(component.getConfiguration().getMaxSubmitsPerSecond()).isEqualTo(2.5);
                    assertThat(component.getConfiguration().getCreditsPerImage()).isEqualTo(10);
                    // what is not set keeps the component's default
                    assertThat(component.getConfiguration().getSize()).isEqualTo("1:1");
                    assertThat(component.getDataSource()).isNull();
                });
    }

    @Test
    void beanOptionsTakeReferencesAndTheEndpointDefaultsApplyOnTopOfAGivenConfiguration() {
        io.github.gptimage.camel.GptImageConfiguration defaults = new io.github.gptimage.camel.GptImageConfiguration();
        defaults.setSize("2:3");
        runner.withBean("imageDefaults", io.github.gptimage.camel.GptImageConfiguration.class, () -> defaults)
                .withBean("tasksDb", DataSource.class, () -> h2("runner-ref"))
                .withPropertyValues("camel.component.gptimage.configuration=#imageDefaults",
                        "camel.component.gptimage.data-source=#tasksDb")
                .run(context -> {
                    GptImageComponent component = component(context);
                    assertThat(component.getConfiguration()).isSameAs(defaults);
                    assertThat(component.getConfiguration().getSize()).isEqualTo("2:3");
                    // set after the configuration, so it is not lost with the component's own one
                    assertThat(component.getConfiguration().getApiKey()).isEqualTo("runner-key");
                    assertThat(component.getDataSource()).isSameAs(context.getBean("tasksDb"));
                });
    }

    @Test
    void storeJdbcTakesTheApplicationDataSourceOrTheNamedOne() {
        runner.withBean("appDb", DataSource.class, () -> h2("runner-app"))
                .withPropertyValues("camel.component.gptimage.store=jdbc")
                .run(context -> assertThat(component(context).getDataSource()).isSameAs(context.getBean("appDb")));
        runner.withBean("appDb", DataSource.class, () -> h2("runner-app2"))
                .withBean("tasksDb", DataSource.class, () -> h2("runner-tasks"))
                .withPropertyValues("camel.component.gptimage.store=jdbc",
                        "camel.component.gptimage.data-source=#tasksDb")
                .run(context -> assertThat(component(context).getDataSource()).isSameAs(context.getBean("tasksDb")));
    }

    @Test
    void storeJdbcWithoutAnApplicationDataSourceFailsAndSaysWhy() {
        runner.withPropertyValues("camel.component.gptimage.store=jdbc").run(context ->
                assertThatThrownBy(() -> component(context)).rootCause()
                        .hasMessageContaining("camel.component.gptimage.store=jdbc needs the application's DataSource")
                        .hasMessageContaining("there is none"));
        runner.withBean("appDb", DataSource.class, () -> h2("runner-one"))
                .withBean("otherDb", DataSource.class, () -> h2("runner-two"))
                .withPropertyValues("camel.component.gptimage.store=jdbc").run(context ->
                        assertThatThrownBy(() -> component(context)).rootCause()
                                .hasMessageContaining("there are 2 and none is primary"));
    }

    @Test
    void storeMemoryWithADataSourceIsAContradiction() {
        runner.withBean("tasksDb", DataSource.class, () -> h2("runner-memory"))
                .withPropertyValues("camel.component.gptimage.store=memory",
                        "camel.component.gptimage.data-source=#tasksDb")
                .run(context -> assertThatThrownBy(() -> component(context)).rootCause()
                        .hasMessageContaining("store=memory contradicts camel.component.gptimage.data-source"));
    }

    @Test
    void switchedOffTheComponentKeepsItsDefaults() {
        runner.withPropertyValues("camel.component.gptimage.enabled=false")
                .run(context -> assertThat(component(context).getConfiguration().getApiKey()).isNull());
        runner.withPropertyValues("camel.component.gptimage.customizer.enabled=false")
                .run(context -> assertThat(component(context).getConfiguration().getApiKey()).isNull());
    }
}
