package io.github.gptimage.camel.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.zaxxer.hikari.HikariDataSource;
import io.github.gptimage.camel.GptImageConstants;
import io.github.gptimage.camel.LogCapture;
import io.github.gptimage.camel.error.GptImageTaskStoreException;
import org.apache.camel.Exchange;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away for 10 s (a TCP proxy in front of PostgreSQL drops every connection and refuses new ones)
 * while tasks are pending, finish at the service, and are submitted: nothing is lost, polling resumes when the
 * database is back, every task completes once, and the task service logs the outage once.
 */
class DatabaseOutageTest extends PostgresClusterTest {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutageTest.class);
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final String SERVICE_LOGGER = "io.github.gptimage.camel.task.GptImageTaskService";

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance().options(ClusterApi.server()).build();

    @Test
    void tasksPendingWhileTheDatabaseIsAwayForTenSecondsAllCompleteOnce() throws Exception {
        int before = 50;
        int during = 10;
        String prefix = Databases.newPrefix("outage");
        ClusterApi.stubGenerateFreshIds(api);
        ClusterApi.stubInfoGenerating(api);
        Completions completions = new Completions();

        try (TcpProxy proxy = new TcpProxy("localhost", postgres.getPort());
             LogCapture log = LogCapture.withLevels(Map.of(SERVICE_LOGGER, Level.INFO))) {
            HikariDataSource pool = Databases.pool(Databases.postgresUrl(proxy.port()), 8);
            try (Node node = Node.builder("node-a", pool, prefix, api.baseUrl()).leaseDuration(Duration.ofSeconds(3))
                    .tasksConsumer(completions).start()) {
                Set<String> submitted = new HashSet<>();
                for (int i = 0; i < before; i++) {
                    submitted.add(submit(node).getMessage().getHeader(GptImageConstants.TASK_ID, String.class));
                }
                // polled at least once each, still generating
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> ClusterApi.infoCalls(api) >= before);

                long cut = System.nanoTime();
                proxy.cut();
                // the service finishes them while the database is away; polls in flight learn it then
                ClusterApi.stubInfoSuccess(api);
                ExecutorService submitters = Executors.newFixedThreadPool(during);
                List<Future<Exchange>> duringOutage = new ArrayList<>();
                for (int i = 0; i < during; i++) {
                    duringOutage.add(submitters.submit(() -> submit(node)));
                }
                submitters.shutdown();
                Thread.sleep(Math.max(0, OUTAGE.toMillis() - Duration.ofNanos(System.nanoTime() - cut).toMillis()));
                assertThat(completions.size()).as("completions while the database is away").isZero();
                proxy.open();
                long reopened = System.nanoTime();

                // accepted (and paid) during the outage: the exchange failed, the task is kept and recorded later
                for (Future<Exchange> submittedDuring : duringOutage) {
                    Exchange exchange = submittedDuring.get(30, TimeUnit.SECONDS);
                    assertThat(exchange.getException()).isInstanceOf(GptImageTaskStoreException.class)
                            .hasMessageContaining("recorded when the store answers again");
                    String taskId = ((GptImageTaskStoreException) exchange.getException()).getTaskId();
                    assertThat(taskId).isNotNull();
                    submitted.add(taskId);
                }
                assertThat(submitted).hasSize(before + during);

                await().atMost(Duration.ofSeconds(30)).untilAsserted(
                        () -> assertThat(completions.tasks()).as("tasks completed").isEqualTo(before + during));
                long completed = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).until(() -> Databases.storedTasks(pool, prefix) == 0);
                Thread.sleep(500);

                assertThat(completions.perTask().keySet()).isEqualTo(submitted);
                assertThat(completions.perTask()).allSatisfy((taskId, count) -> assertThat(count)
                        .as("completions of %s", taskId).isEqualTo(1L));
                assertThat(ClusterApi.generateCalls(api)).isEqualTo(before + during);
                List<String> outages = log.linesContaining("The GPT image task store failed");
                assertThat(outages).as("outages logged").hasSize(1)
                        .allSatisfy(line -> assertThat(line).startsWith("ERROR " + SERVICE_LOGGER));
                assertThat(log.linesContaining("The GPT image task store answers again")).hasSize(1);
                assertThat(log.linesContaining("accepted during the task store's outage is recorded now"))
                        .hasSize(during);
                assertThat(log.linesContaining("Failed polling endpoint")).as("the consumer's poll failures reported")
                        .hasSizeLessThanOrEqualTo(1);
                LOG.info("{} tasks pending and {} submitted while the database was away for {}: all completed {} ms"
                         + " after it was back; {} warnings of the tasks consumer's polls meanwhile", before, during,
                        OUTAGE, Duration.ofNanos(completed - reopened).toMillis(),
                        log.linesContaining("Failed polling endpoint").size());
            }
        }
    }

    private static Exchange submit(Node node) {
        return node.submit("A lighthouse at dawn", Map.of());
    }
}
