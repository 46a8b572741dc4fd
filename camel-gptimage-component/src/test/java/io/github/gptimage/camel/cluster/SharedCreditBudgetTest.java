package io.github.gptimage.camel.cluster;

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
import io.github.gptimage.camel.error.GptImageBudgetExceededException;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A credit budget is shared by the nodes of one PostgreSQL store: two nodes submitting at once for one account spend
 * exactly the budget together, the submits past it failing with {@link GptImageBudgetExceededException} before
 * anything was sent.
 */
class SharedCreditBudgetTest extends PostgresClusterTest {

    private static final int SUBMITS_PER_NODE = 10;

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance().options(ClusterApi.server()).build();

    @Test
    void twoNodesSubmittingAtOnceSpendTheirAccountsBudgetTogetherOnce() throws Exception {
        String prefix = Databases.newPrefix("budget");
        ClusterApi.stubGenerateFreshIds(api);
        ClusterApi.stubInfoGenerating(api);
        // 70 credits: 7 of the 20 submits of 10 credits each
        String budget = "creditBudget=70&creditBudgetPeriod=1d";
        try (Node a = Node.builder("node-a", Databases.pool(Databases.jdbcUrl(postgres), 8), prefix, api.baseUrl())
                .generateOptions(budget).start();
             Node b = Node.builder("node-b", Databases.pool(Databases.jdbcUrl(postgres), 8), prefix, api.baseUrl())
                     .generateOptions(budget).start()) {
            ExecutorService submitters = Executors.newFixedThreadPool(2 * SUBMITS_PER_NODE);
            List<Future<Exchange>> submits = new ArrayList<>();
            try {
                CountDownLatch go = new CountDownLatch(1);
                for (int i = 0; i < SUBMITS_PER_NODE; i++) {
                    for (Node node : List.of(a, b)) {
                        submits.add(submitters.submit(() -> {
                            go.await();
                            return node.submit("A lighthouse at dawn", Map.of());
                        }));
                    }
                }
                go.countDown();
                int accepted = 0;
                int refused = 0;
                for (Future<Exchange> submit : submits) {
                    Exchange exchange = submit.get(30, TimeUnit.SECONDS);
                    if (exchange.getException() == null) {
                        accepted++;
                        assertThat(exchange.getMessage().getHeader(GptImageConstants.CREDITS)).isEqualTo(10L);
                    } else {
                        assertThat(exchange.getException()).isInstanceOf(GptImageBudgetExceededException.class)
                                .hasMessageContaining("credit budget of 70");
                        refused++;
                    }
                }

                assertThat(accepted).isEqualTo(7);
                assertThat(refused).isEqualTo(2 * SUBMITS_PER_NODE - 7);
                assertThat(ClusterApi.generateCalls(api)).as("generate calls sent").isEqualTo(7);
            } finally {
                submitters.shutdownNow();
            }
        }
    }
}
