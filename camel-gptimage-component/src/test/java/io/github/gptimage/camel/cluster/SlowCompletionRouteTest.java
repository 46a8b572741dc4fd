package io.github.gptimage.camel.cluster;

import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A completion route that takes longer than the lease: the node running it renews the task's lease while the exchange
 * runs, so that the other node, polling the same PostgreSQL store, never delivers the task a second time.
 */
class SlowCompletionRouteTest extends PostgresClusterTest {

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration ROUTE_TIME = Duration.ofSeconds(7);

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance().options(ClusterApi.server()).build();

    @Test
    void aCompletionRouteSlowerThanTheLeaseIsDeliveredOnce() throws Exception {
        String prefix = Databases.newPrefix("slow");
        ClusterApi.stubGenerateFreshIds(api);
        ClusterApi.stubInfoSuccess(api);
        Completions completions = new Completions();
        int tasks = 4;
        try (Node a = node("node-a", prefix, completions); Node b = node("node-b", prefix, completions)) {
            for (int i = 0; i < tasks; i++) {
                assertThat((i % 2 == 0 ? a : b).submit("A lighthouse at dawn", Map.of()).getException()).isNull();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> completions.tasks() == tasks);
            // every route runs 3.5 leases: without renewal the other node takes each task over meanwhile
            Thread.sleep(ROUTE_TIME.plus(LEASE.multipliedBy(2)).toMillis());

            assertThat(completions.perTask()).as("completion exchanges per task").hasSize(tasks)
                    .allSatisfy((task, count) -> assertThat(count).as(task).isEqualTo(1));
            assertThat(completions.all()).noneMatch(Completions.Completion::redelivered);
            try (var reader = Databases.pool(Databases.jdbcUrl(postgres), 1)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> Databases.storedTasks(reader, prefix) == 0);
            }
        }
    }

    private Node node(String id, String prefix, Completions completions) throws Exception {
        return Node.builder(id, Databases.pool(Databases.jdbcUrl(postgres), 8), prefix, api.baseUrl())
                .leaseDuration(LEASE).tasksConsumer(completions).completionRouteTime(ROUTE_TIME).start();
    }
}
