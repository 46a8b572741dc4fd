package io.github.gptimage.camel.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.gptimage.camel.GptImageConstants;
import io.github.gptimage.camel.error.GptImageRetryableException;
import io.github.gptimage.camel.error.GptImageSubmitInProgressException;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Idempotent submits across nodes: the same idempotency key submitted at the same moment on two nodes sharing one
 * PostgreSQL store sends one generate; the other submit gets the retryable {@link GptImageSubmitInProgressException}
 * (the first is still under way) or the task the first one created, and a retry of it gets that task.
 */
class IdempotencyAcrossNodesTest extends PostgresClusterTest {

    private static final int KEYS = 10;

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance().options(ClusterApi.server()).build();

    @Test
    void oneKeySubmittedOnTwoNodesAtOnceSendsOneGenerate() throws Exception {
        String prefix = Databases.newPrefix("idempotent");
        // a slow answer: both submits of a key are under way at once
        api.stubFor(post(urlPathEqualTo(ClusterApi.GENERATE_PATH))
                .willReturn(ClusterApi.freshTaskId().withFixedDelay(1000)));
        ClusterApi.stubInfoGenerating(api);
        String keyed = "idempotencyKey=${header.orderId}";
        try (Node a = Node.builder("node-a", Databases.pool(Databases.jdbcUrl(postgres), 8), prefix, api.baseUrl())
                .generateOptions(keyed).start();
             Node b = Node.builder("node-b", Databases.pool(Databases.jdbcUrl(postgres), 8), prefix, api.baseUrl())
                     .generateOptions(keyed).start()) {
            ExecutorService submitters = Executors.newFixedThreadPool(2 * KEYS);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Exchange>> onA = new ArrayList<>();
                List<Future<Exchange>> onB = new ArrayList<>();
                for (int i = 0; i < KEYS; i++) {
                    Map<String, Object> headers = Map.of("orderId", "order-" + i);
                    onA.add(submitters.submit(() -> {
                        go.await();
                        return a.submit("A lighthouse at dawn", headers);
                    }));
                    onB.add(submitters.submit(() -> {
                        go.await();
                        return b.submit("A lighthouse at dawn", headers);
                    }));
                }
                go.countDown();

                for (int i = 0; i < KEYS; i++) {
                    Exchange first = onA.get(i).get(30, TimeUnit.SECONDS);
                    Exchange second = onB.get(i).get(30, TimeUnit.SECONDS);
                    String taskId = assertOneCreatedTheTaskAndTheOtherDidNot(first, second);
                    // the loser's retry, once the first submit was answered, gets the same task and sends nothing
                    Node loser = first.getException() != null || isRepeated(first) ? a : b;
                    Exchange retried = loser.submit("A lighthouse at dawn", Map.of("orderId", "order-" + i));
                    assertThat(retried.getException()).isNull();
                    assertThat(retried.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo(taskId);
                    assertThat(retried.getMessage().getHeader(GptImageConstants.REPEATED_SUBMIT)).isEqualTo(true);
                }
            } finally {
                submitters.shutdownNow();
            }
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> ClusterApi.generateCalls(api) == KEYS);
            try (var reader = Databases.pool(Databases.jdbcUrl(postgres), 1)) {
                assertThat(Databases.storedTasks(reader, prefix)).as("tasks stored").isEqualTo(KEYS);
            }
        }
    }

    /** Of two submits with one key, exactly one created the task; the other waited for nothing. */
    private static String assertOneCreatedTheTaskAndTheOtherDidNot(Exchange first, Exchange second) {
        boolean firstCreated = first.getException() == null && !isRepeated(first);
        boolean secondCreated = second.getException() == null && !isRepeated(second);
        assertThat(firstCreated ^ secondCreated).as("exactly one of the two submits created the task: %s / %s",
                describe(first), describe(second)).isTrue();
        Exchange winner = firstCreated ? first : second;
        Exchange loser = firstCreated ? second : first;
        String taskId = winner.getMessage().getHeader(GptImageConstants.TASK_ID, String.class);
        assertThat(taskId).isNotNull();
        if (loser.getException() != null) {
            assertThat(loser.getException()).isInstanceOf(GptImageSubmitInProgressException.class)
                    .isInstanceOf(GptImageRetryableException.class);
        } else {
            assertThat(loser.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo(taskId);
        }
        return taskId;
    }

    private static boolean isRepeated(Exchange exchange) {
        return Boolean.TRUE.equals(exchange.getMessage().getHeader(GptImageConstants.REPEATED_SUBMIT, Boolean.class));
    }

    private static String describe(Exchange exchange) {
        return exchange.getException() != null ? String.valueOf(exchange.getException())
                : exchange.getMessage().getHeader(GptImageConstants.TASK_ID) + (isRepeated(exchange) ? " (repeated)" : "");
    }
}
