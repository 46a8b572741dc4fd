package io.github.gptimage.camel.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.gptimage.camel.GptImageComponent;
import io.github.gptimage.camel.GptImageConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Spring Boot application with the starter, the JDBC task store on the application's DataSource (H2 in memory)
 * and Actuator, against a WireMock stand-in of the API: a route submits, a {@code gptimage:tasks} route gets the
 * completion, and {@code /actuator/health} shows Camel's health checks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                classes = GptImageStarterApplicationTest.Application.class,
                properties = {
                        "camel.component.gptimage.api-key=starter-test-key",
                        "camel.component.gptimage.poll-initial-delay=400ms",
                        "camel.component.gptimage.poll-max-interval=1s",
                        "camel.component.gptimage.size=3:2",
                        "camel.component.gptimage.store=jdbc",
                        "spring.datasource.url=jdbc:h2:mem:gptimage-starter;DB_CLOSE_DELAY=-1",
                        "management.endpoints.web.exposure.include=health,metrics",
                        "management.endpoint.health.show-details=always",
                        "management.endpoint.health.probes.enabled=true",
                        "camel.health.exposure-level=full" })
class GptImageStarterApplicationTest {

    static final String GENERATE_PATH = "/paid/gpt4o-image/generate";
    static final String INFO_PATH = "/paid/gpt4o-image/info";
    static final String TASK = "task-boot-1";
    static final WireMockServer API = new WireMockServer(wireMockConfig().dynamicPort());

    static {
        API.start();
        API.stubFor(post(urlPathEqualTo(GENERATE_PATH))
                .willReturn(okJson("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"task-boot-1\"}}")));
        // the task generates until the test lets it finish (scenario state "done")
        API.stubFor(post(urlPathEqualTo(INFO_PATH)).withQueryParam("taskId", equalTo("task-boot-1"))
                .inScenario(TASK).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(info("GENERATING", 0, "[]", "0.40"))));
        API.stubFor(post(urlPathEqualTo(INFO_PATH)).withQueryParam("taskId", equalTo("task-boot-1"))
                .inScenario(TASK).whenScenarioStateIs("done")
                .willReturn(okJson(info("SUCCESS", 1, "[\"" + API.baseUrl() + "/images/lighthouse.png\"]", "1.00"))));
    }

    private static String info(String status, int successFlag, String resultUrls, String progress) {
        return "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"task-boot-1\",\"paramJson\":\"{}\","
               + "\"createTime\":1672561200000,\"response\":{\"resultUrls\":" + resultUrls + "},"
               + "\"successFlag\":" + successFlag + ",\"status\":\"" + status + "\",\"errorCode\":null,"
               + "\"errorMessage\":null,\"progress\":\"" + progress + "\"}}";
    }

    @DynamicPropertySource
    static void api(DynamicPropertyRegistry registry) {
        registry.add("camel.component.gptimage.base-url", API::baseUrl);
    }

    @AfterAll
    static void stopApi() {
        API.stop();
    }

    @SpringBootApplication
    static class Application {

        @Bean
        BlockingQueue<Exchange> completions() {
            return new LinkedBlockingQueue<>();
        }

        @Bean
        RouteBuilder routes(BlockingQueue<Exchange> completions) {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:draw").routeId("draw")
                            .to("gptimage:generate");
                    from("gptimage:tasks?delay=200").routeId("completions")
                            .process(exchange -> completions.add(exchange.copy()));
                }
            };
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camelContext;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    DataSource dataSource;

    @Autowired
    BlockingQueue<Exchange> completions;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void propertiesConfigureTheComponentAndStoreJdbcUsesTheApplicationDataSource() {
        GptImageComponent component = camelContext.getComponent("gptimage", GptImageComponent.class);
        assertThat(component.getConfiguration().getApiKey()).isEqualTo("starter-test-key");
        assertThat(component.getConfiguration().getBaseUrl()).isEqualTo(API.baseUrl());
        assertThat(component.getConfiguration().getPollInitialDelay()).isEqualTo(400);
        assertThat(component.getConfiguration().getPollMaxInterval()).isEqualTo(1000);
        assertThat(component.getConfiguration().getSize()).isEqualTo("3:2");
        assertThat(component.getDataSource()).isSameAs(dataSource);
    }

    @Test
    void aSubmittedTaskCompletesOnTheTasksRouteThroughTheJdbcStore() throws Exception {
        String taskId = producer.requestBody("direct:draw", "A lighthouse on a cliff at dawn", String.class);
        assertThat(taskId).isEqualTo("task-boot-1");
        // the store is the application's database: the pending task is a row there, polled while it generates
        assertThat(rows("gptimage_task", taskId)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> API.verify(postRequestedFor(urlPathEqualTo(INFO_PATH))));
        assertThat(rows("gptimage_task", taskId)).isEqualTo(1);
        API.setScenarioState(TASK, "done");

        Exchange completion = completions.poll(20, TimeUnit.SECONDS);
        assertThat(completion).as("completion on the gptimage:tasks route").isNotNull();
        assertThat(completion.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("task-boot-1");
        assertThat(completion.getMessage().getBody(List.class))
                .containsExactly(API.baseUrl() + "/images/lighthouse.png");
        API.verify(postRequestedFor(urlPathEqualTo(GENERATE_PATH))
                .withHeader("x-api-key", equalTo("starter-test-key")));
        // and leaves it once its completion exchange completed
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(rows("gptimage_task", taskId)).isZero());

        // the component's meters, in Actuator's registry (the component finds the application's MeterRegistry bean)
        JsonNode submits = get("/actuator/metrics/gptimage.submits?tag=operation:generate&tag=outcome:accepted");
        assertThat(submits.at("/measurements/0/statistic").asText()).isEqualTo("COUNT");
        assertThat(submits.at("/measurements/0/value").asDouble()).as(submits.toString()).isEqualTo(1.0);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode completed = get("/actuator/metrics/gptimage.completions?tag=source:poll");
            assertThat(completed.at("/measurements/0/value").asDouble()).as(completed.toString()).isEqualTo(1.0);
        });
    }

    @Test
    void actuatorHealthShowsCamelsHealthChecks() throws Exception {
        JsonNode health = get("/actuator/health");
        assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("UP");
        JsonNode camel = health.at("/components/camelHealth");
        assertThat(camel.path("status").asText()).as(health.toString()).isEqualTo("UP");
        assertThat(camel.at("/details/context").asText()).as(camel.toString()).isEqualTo("UP");
        assertThat(camel.at("/details/route:completions").asText()).as(camel.toString()).isEqualTo("UP");
        assertThat(camel.at("/details/consumer:completions").asText()).as(camel.toString()).isEqualTo("UP");
        assertThat(health.at("/components/db/status").asText()).as(health.toString()).isEqualTo("UP");

        assertThat(get("/actuator/health/readiness").path("status").asText()).isEqualTo("UP");
        assertThat(get("/actuator/health/liveness").path("status").asText()).isEqualTo("UP");
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private int rows(String table, String taskId) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select count(*) from " + table + " where task_id = '" + taskId
                                                     + "'")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
