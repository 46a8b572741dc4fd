package io.github.gptimage.camel.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.zaxxer.hikari.HikariDataSource;
import io.github.gptimage.camel.GptImageConstants;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes (two CamelContexts with their own nodeId, pool and callback receiver) sharing one PostgreSQL task store:
 * tasks submitted on one are polled by both and completed by callbacks on the other, each emitted exactly once; and
 * the tasks a node held when it died are taken over by the other once its leases expire.
 */
class TwoNodesSharingPostgresTest extends PostgresClusterTest {

    private static final Logger LOG = LoggerFactory.getLogger(TwoNodesSharingPostgresTest.class);
    private static final Duration LEASE = Duration.ofSeconds(3);

    private static final ClusterApi.GenerateJournal JOURNAL = new ClusterApi.GenerateJournal();

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance().options(ClusterApi.server(JOURNAL)).build();

    private static HikariDataSource reader;

    private final List<Node> nodes = new ArrayList<>();
    private final Completions completions = new Completions();

    @BeforeAll
    static void openReader() {
        reader = Databases.pool(Databases.jdbcUrl(postgres), 2);
    }

    @AfterAll
    static void closeReader() {
        if (reader != null) {
            reader.close();
        }
    }

    @AfterEach
    void stopNodes() throws InterruptedException {
        for (Node node : nodes) {
            node.awaitStopped();
            node.close();
        }
        JOURNAL.clear();
    }

    private Node start(Node.Builder builder) throws Exception {
        Node node = builder.start();
        nodes.add(node);
        return node;
    }

    private Node.Builder node(String id, String prefix) {
        return Node.builder(id, Databases.pool(Databases.jdbcUrl(postgres), 8), prefix, api.baseUrl())
                .leaseDuration(LEASE).tasksConsumer(completions);
    }

    /**
     * 1,000 tasks submitted on node A, the service finishing each at once; for every other task the service also posts
     * its callback to node B (to B's own receiver, with the token of the callBackUrl its generate carried, confirmed
     * there by an info call) as soon as the submit returned, while both nodes poll: every task is emitted exactly once
     * across the two nodes, none is lost, and the store ends empty.
     */
    @Test
    void thousandTasksSubmittedOnOneNodeAreEmittedOnceAcrossTwo() throws Exception {
        int tasks = 1000;
        String prefix = Databases.newPrefix("two_nodes");
        ClusterApi.stubGenerateFreshIds(api);
        ClusterApi.stubInfoSuccess(api);
        Node a = start(node("node-a", prefix).callbacks(true));
        Node b = start(node("node-b", prefix).callbacks(true));
        Set<String> withCallback = ConcurrentHashMap.newKeySet();
        Map<Integer, Long> callbackAnswers = new ConcurrentHashMap<>();

        long started = System.nanoTime();
        List<String> taskIds = submitConcurrently(a, tasks, 8, (index, taskId) -> {
            if (index % 2 == 0) {
                withCallback.add(taskId);
                int status = ClusterApi.postCallback(b.callbackPrefix() + JOURNAL.callbackToken(taskId),
                        ClusterApi.successCallback(taskId));
                callbackAnswers.merge(status, 1L, Long::sum);
            }
        });
        long submitted = System.nanoTime();
        assertThat(Set.copyOf(taskIds)).hasSize(tasks);
        assertThat(JOURNAL.callbackUrl(taskIds.get(0))).startsWith(a.callbackPrefix());

        await().atMost(Duration.ofSeconds(60)).until(() -> completions.tasks() == tasks);
        long completed = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> Databases.storedTasks(reader, prefix) == 0);
        // more than a lease later, nothing was emitted twice
        Thread.sleep(LEASE.toMillis() + 500);

        Map<String, Long> perTask = completions.perTask();
        assertThat(perTask.keySet()).containsExactlyInAnyOrderElementsOf(taskIds);
        assertThat(perTask).allSatisfy((taskId, count) -> assertThat(count).as("emissions of %s", taskId)
                .isEqualTo(1L));
        assertThat(completions.all()).noneMatch(Completions.Completion::failed)
                .noneMatch(Completions.Completion::redelivered);
        assertThat(Databases.storedTasks(reader, prefix)).isZero();
        assertThat(callbackAnswers.keySet()).containsOnly(200);
        assertThat(ClusterApi.generateCalls(api)).isEqualTo(tasks);
        Map<String, Long> perNode = completions.perNode();
        long callbacksWonOnB = completions.all().stream()
                .filter(c -> c.node().equals("node-b") && withCallback.contains(c.taskId())).count();
        LOG.info("{} tasks: submitted on node-a in {} ms, the last emitted {} ms after the last submit; emitted per node"
                 + " {}; of the {} tasks with a callback to node-b, {} emitted there; {} info calls", tasks,
                TimeUnit.NANOSECONDS.toMillis(submitted - started), TimeUnit.NANOSECONDS.toMillis(completed - submitted),
                perNode, withCallback.size(), callbacksWonOnB, ClusterApi.infoCalls(api));
        assertThat(perNode).containsOnlyKeys("node-a", "node-b");
    }

    /**
     * Node A dies while its info calls for 100 tasks hang (the answer is delayed past the test): its leases stay in
     * the table. Node B, started then, completes all of them once the leases expired, each once, none before its
     * lease ran out.
     */
    @Test
    void tasksLeasedByANodeThatDiedAreCompletedByTheOtherAfterTheLeasesExpire() throws Exception {
        int tasks = 100;
        String prefix = Databases.newPrefix("takeover");
        ClusterApi.stubGenerateFreshIds(api);
        ClusterApi.stubInfoGenerating(api);
        Node a = start(node("node-a", prefix).maxConcurrentPolls(3 * tasks));
        List<String> taskIds = submitConcurrently(a, tasks, 4, (index, taskId) -> { });

        // from now on the service answers only after the test: within a poll interval (a second), every task is
        // claimed by A and its info call hangs
        StubMapping hanging = api.stubFor(post(urlPathEqualTo(ClusterApi.INFO_PATH))
                .willReturn(ClusterApi.infoSuccess().withFixedDelay(30_000)));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> hangingTasks(hanging).size() == tasks);
        long dying = System.nanoTime();
        a.die();
        long dead = System.nanoTime();
        List<Databases.Lease> leases = Databases.leases(reader, prefix);
        assertThat(leases).as("the leases A left behind").hasSize(tasks).allSatisfy(lease -> {
            assertThat(lease.state()).isEqualTo("PENDING");
            assertThat(lease.owner()).isEqualTo("node-a");
        });
        api.resetMappings();
        ClusterApi.stubInfoSuccess(api);

        Instant bStarted = Instant.now();
        start(node("node-b", prefix));
        Instant lastLeaseEnd = leases.stream().map(Databases.Lease::dueAt).max(Instant::compareTo).orElseThrow();

        await().atMost(Duration.ofSeconds(30)).until(() -> completions.tasks() == tasks);
        long completed = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> Databases.storedTasks(reader, prefix) == 0);
        Thread.sleep(LEASE.toMillis() + 500);

        assertThat(completions.perTask().keySet()).containsExactlyInAnyOrderElementsOf(taskIds);
        assertThat(completions.perTask()).allSatisfy((taskId, count) -> assertThat(count)
                .as("emissions of %s", taskId).isEqualTo(1L));
        assertThat(completions.perNode()).containsOnlyKeys("node-b");
        Map<String, Instant> leaseEnds = leases.stream()
                .collect(Collectors.toMap(Databases.Lease::taskId, Databases.Lease::dueAt));
        assertThat(completions.all()).allSatisfy(completion -> assertThat(completion.at())
                .as("completion of %s", completion.taskId()).isAfterOrEqualTo(leaseEnds.get(completion.taskId())));
        assertThat(Databases.storedTasks(reader, prefix)).isZero();
        assertThat(ClusterApi.generateCalls(api)).isEqualTo(tasks);
        LOG.info("{} tasks leased by node-a when it died (in {} ms); node-b started {} ms before the last lease ended"
                 + " and emitted them all {} ms after node-a died (leases of {})", tasks,
                TimeUnit.NANOSECONDS.toMillis(dead - dying), Duration.between(bStarted, lastLeaseEnd).toMillis(),
                TimeUnit.NANOSECONDS.toMillis(completed - dead), LEASE);
    }

    /** The tasks of the info calls that {@code stub} answers (or, delayed, has yet to answer). */
    private static Set<String> hangingTasks(StubMapping stub) {
        return api.getAllServeEvents().stream()
                .filter(event -> event.getStubMapping() != null && stub.getId().equals(event.getStubMapping().getId()))
                .map(event -> event.getRequest().queryParameter("taskId").firstValue())
                .collect(Collectors.toSet());
    }

    /** What a submitting thread does once a submit returned its task id. */
    @FunctionalInterface
    interface AfterSubmit {
        void accept(int index, String taskId) throws Exception;
    }

    /** Submits {@code tasks} prompts on {@code node} from {@code threads} threads and returns the task ids. */
    private static List<String> submitConcurrently(Node node, int tasks, int threads, AfterSubmit after)
            throws Exception {
        ExecutorService submitters = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Exchange>> sent = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                int index = i;
                sent.add(submitters.submit(() -> {
                    Exchange done = node.submit("A lighthouse at dawn, number " + index, Map.of());
                    if (done.getException() == null) {
                        after.accept(index, done.getMessage().getHeader(GptImageConstants.TASK_ID, String.class));
                    }
                    return done;
                }));
            }
            List<String> taskIds = new ArrayList<>();
            for (Future<Exchange> exchange : sent) {
                Exchange done = exchange.get(60, TimeUnit.SECONDS);
                assertThat(done.getException()).isNull();
                taskIds.add(done.getMessage().getHeader(GptImageConstants.TASK_ID, String.class));
            }
            return taskIds;
        } finally {
            submitters.shutdownNow();
        }
    }
}
