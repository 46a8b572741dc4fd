package io.github.gptimage.simulator;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuthAndErrorModeTest {

    private static final Map<String, String> VALID_BODY = Map.of("prompt", "a cat", "size", "1:1");

    @Test
    void onlyTheConfiguredKeysAreAccepted() {
        try (GptImageSimulator simulator = GptImageSimulator.builder().apiKeys("k1", "k2").build().start()) {
            ApiClient client = new ApiClient(simulator.baseUrl(), "k1");

            assertThat(client.generate(VALID_BODY).code()).isEqualTo(200);
            assertThat(client.withKey("k2").generate(VALID_BODY).code()).isEqualTo(200);
            assertUnauthorized(client.withKey("sim-key").generate(VALID_BODY));
            assertUnauthorized(client.withKey(null).generate(VALID_BODY));
            assertUnauthorized(client.withKey("nope").info("any"));
            assertThat(simulator.stats().generateCalls()).isEqualTo(4);
            assertThat(simulator.stats().tasksCreated()).isEqualTo(2);
        }
    }

    @Test
    void theDefaultKeyIsSimKey() {
        try (GptImageSimulator simulator = GptImageSimulator.builder().build().start()) {
            ApiClient client = new ApiClient(simulator.baseUrl(), "sim-key");

            assertThat(client.generate(VALID_BODY).code()).isEqualTo(200);
            assertUnauthorized(client.withKey("other").generate(VALID_BODY));
        }
    }

    @Test
    void anyNonBlankKeyCanBeAccepted() {
        try (GptImageSimulator simulator = GptImageSimulator.builder().acceptAnyApiKey(true).build().start()) {
            ApiClient client = new ApiClient(simulator.baseUrl(), "whatever-key");

            assertThat(client.generate(VALID_BODY).code()).isEqualTo(200);
            assertUnauthorized(client.withKey(" ").generate(VALID_BODY));
            assertUnauthorized(client.withKey(null).generate(VALID_BODY));
        }
    }

    @Test
    void httpStatusErrorsSendsTheCodeAsHttpStatus() {
        try (GptImageSimulator simulator = GptImageSimulator.builder().httpStatusErrors(true).build().start()) {
            ApiClient client = ApiClient.withDefaultKey(simulator);

            ApiClient.Answer created = client.generate(VALID_BODY);
            assertThat(created.status()).isEqualTo(200);
            assertThat(created.code()).isEqualTo(200);

            ApiClient.Answer unauthorized = client.withKey("bad").generate(VALID_BODY);
            assertThat(unauthorized.status()).isEqualTo(401);
            assertThat(unauthorized.code()).isEqualTo(401);

            ApiClient.Answer invalid = client.generate(Map.of("prompt", "a cat", "size", "16:9"));
            assertThat(invalid.status()).isEqualTo(422);
            assertThat(invalid.code()).isEqualTo(422);

            ApiClient.Answer unknown = client.info("unknown");
            assertThat(unknown.status()).isEqualTo(422);
            assertThat(unknown.msg()).isEqualTo("record is null");

            ApiClient.Answer maintenance = client.generate(Map.of("prompt", "a cat [455]", "size", "1:1"));
            assertThat(maintenance.status()).isEqualTo(455);
            assertThat(maintenance.code()).isEqualTo(455);
        }
    }

    @Test
    void unknownPathsAreHttp404() {
        try (GptImageSimulator simulator = GptImageSimulator.builder().build().start()) {
            ApiClient.Answer answer = new ApiClient(simulator.baseUrl(), "sim-key").get(simulator.baseUrl() + "/nothing");

            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.code()).isEqualTo(404);
        }
    }

    private static void assertUnauthorized(ApiClient.Answer answer) {
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.code()).isEqualTo(401);
        assertThat(answer.data().isNull()).isTrue();
    }
}
