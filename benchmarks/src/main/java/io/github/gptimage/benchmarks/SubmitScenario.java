package io.github.gptimage.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gptimage.camel.GptImageComponent;
import io.github.gptimage.camel.GptImageConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.dataformat.JsonLibrary;

/**
 * {@code submit}: throughput and CPU per submit of {@code gptimage:generate} against a hand-written camel-http +
 * camel-jackson route doing the same POST, in the same run, against the same server ({@link SubmitServer}: Vert.x in
 * a JVM of its own, answering generate at once with a fresh task id), with the same number of exchanges in flight and the
 * same count per round. In each round the variants take turns in short slices, in a rotating order, so that the
 * load of the machine's other processes falls on all alike; the figures are the medians over the rounds.
 * <p>
 * CPU is this JVM's process CPU time (every thread, GC and JIT included); the server's is measured apart.
 */
final class SubmitScenario {

    static final String PROMPT = "A lighthouse on a rocky cliff at dawn, waves breaking below, soft golden light";
    private static final Pattern TASK_ID = Pattern.compile("[0-9a-f]{32}");

    private enum Variant {
        HTTP("camel-http + camel-jackson route", "direct:http"),
        COMPONENT("gptimage:generate trackCompletion=false", "direct:component"),
        TRACKED("gptimage:generate trackCompletion=true", "direct:component-tracked");

        final String label;
        final String uri;

        Variant(String label, String uri) {
            this.label = label;
            this.uri = uri;
        }
    }

    private record Run(Variant variant, int count, long nanos, long cpuNanos, long serverCpuNanos, long driverCpuNanos,
                       int failures, String firstFailure) {

        /** How busy the sending thread was: near 100 % it bounds the throughput. */
        /** The cores this JVM used meanwhile. */
        double cores() {
            return cpuNanos / (double) nanos;
        }

        double driverBusyPercent() {
            return 100.0 * driverCpuNanos / nanos;
        }

        double perSecond() {
            return count / (nanos / 1e9);
        }

        double cpuMicrosPerSubmit() {
            return cpuNanos / 1e3 / count;
        }

        double serverCpuMicrosPerSubmit() {
            return serverCpuNanos / 1e3 / count;
        }
    }

    private SubmitScenario() {
    }

    static Report run(Args args) throws Exception {
        Report report = new Report("submit");
        int count = args.intValue("count", 20_000);
        int warmup = args.intValue("warmup", 60_000);
        int rounds = args.intValue("rounds", 5);
        int concurrency = args.intValue("concurrency", 64);
        int slices = args.intValue("slices", 10);
        String key = SimulatorProcess.API_KEY;
        try (ChildJvm server = ChildJvm.start("submit-server", List.of("-Xmx512m"), SubmitServer.class.getName(),
                List.of(key)); CamelContext context = new DefaultCamelContext()) {
            String baseUrl = server.baseUrl();
            GptImageComponent gptimage = context.getComponent("gptimage", GptImageComponent.class);
            // the tracked variant keeps every task it submitted (none is polled within the run): room for all rounds
            gptimage.setMaxPendingTasks(1_000_000);
            HttpComponent http = context.getComponent("http", HttpComponent.class);
            // camel-http allows 20 connections per route by default: as many as the component's pool instead
            http.setConnectionsPerRoute(200);
            http.setMaxTotalConnections(200);
            String component = "gptimage:generate?apiKey=RAW(" + key + ")&baseUrl=" + baseUrl;
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(Variant.COMPONENT.uri).to(component + "&trackCompletion=false");
                    // tracked, but never polled within the run: polling is not part of the submit
                    from(Variant.TRACKED.uri).to(component + "&pollInitialDelay=3600000&pollMaxInterval=3600000");
                    // camel-http is a blocking producer: a pool of as many threads as exchanges in flight
                    from(Variant.HTTP.uri)
                            .threads(concurrency, concurrency)
                            .process(exchange -> {
                                Map<String, Object> request = new LinkedHashMap<>();
                                request.put("size", "1:1");
                                request.put("prompt", exchange.getMessage().getBody(String.class));
                                request.put("nVariants", 1);
                                exchange.getMessage().setBody(request);
                            })
                            .marshal().json(JsonLibrary.Jackson)
                            .setHeader("x-api-key", constant(key))
                            .to("http://" + baseUrl.substring("http://".length()) + SubmitServer.GENERATE_PATH
                                + "?httpMethod=POST")
                            .unmarshal().json(JsonLibrary.Jackson, JsonNode.class)
                            .process(exchange -> {
                                JsonNode envelope = exchange.getMessage().getBody(JsonNode.class);
                                if (envelope.path("code").asInt() != 200) {
                                    throw new IllegalStateException("generate failed: " + envelope);
                                }
                                String taskId = envelope.path("data").path("taskId").asText(null);
                                if (taskId == null) {
                                    throw new IllegalStateException("no data.taskId in " + envelope);
                                }
                                exchange.getMessage().setBody(taskId);
                                exchange.getMessage().setHeader(GptImageConstants.TASK_ID, taskId);
                            });
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            // sends from the calling thread: an async producer returns at once, and the route's thread pool
            // takes the exchanges of the blocking camel-http producer
            template.setThreadedAsyncMode(false);

            report.figure("server", "Vert.x in its own JVM, generate answered at once with a fresh taskId");
            report.figure("in flight", concurrency + " exchanges (ProducerTemplate.asyncSend + semaphore)");
            report.figure("count per round", count + " submits per variant and round, " + rounds + " rounds;"
                                             + " in each round the variants take turns in " + slices
                                             + " slices (rotating order); warm-up " + warmup
                                             + " per variant in 3 such rounds");
            report.figure("camel-http route", "threads(" + concurrency + ") -> marshal Jackson -> http POST"
                                              + " (connectionsPerRoute 200) -> unmarshal JsonNode -> data.taskId");

            Variant[] variants = Variant.values();
            for (int pass = 0; pass < 3; pass++) {
                round(context, template, warmup / 3, slices, concurrency, server, pass);
            }
            Map<Variant, List<Run>> runs = new LinkedHashMap<>();
            for (Variant variant : variants) {
                runs.put(variant, new ArrayList<>());
            }
            for (int round = 0; round < rounds; round++) {
                Map<Variant, Run> results = round(context, template, count, slices, concurrency, server, round);
                for (Variant variant : variants) {
                    Run run = results.get(variant);
                    runs.get(variant).add(run);
                    report.figure(String.format("round %d %-42s", round + 1, variant.label), String.format(
                            "%6.0f/s %6.1f us CPU/submit (%.2f cores); server %5.1f us CPU/call; sending thread %2.0f %%"
                            + " busy", run.perSecond(), run.cpuMicrosPerSubmit(), run.cores(),
                            run.serverCpuMicrosPerSubmit(), run.driverBusyPercent()));
                }
            }
            long expectedCalls = (long) variants.length * slices
                                 * (3L * (warmup / 3 / slices) + (long) rounds * (count / slices));
            long served = servedCalls(baseUrl);
            report.figure("generate calls the server answered", served + " (sent " + expectedCalls + ")");
            if (served != expectedCalls) {
                throw new IllegalStateException("the server answered " + served + " generate calls, not "
                                                + expectedCalls);
            }

            double httpRate = median(runs.get(Variant.HTTP), Run::perSecond);
            double httpCpu = median(runs.get(Variant.HTTP), Run::cpuMicrosPerSubmit);
            for (Variant variant : variants) {
                report.figure("median " + variant.label, String.format("%.0f submits/s, %.1f us CPU/submit",
                        median(runs.get(variant), Run::perSecond), median(runs.get(variant), Run::cpuMicrosPerSubmit)));
            }
            double[] roundRatios = new double[rounds];
            double[] roundCpuRatios = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                roundRatios[round] = runs.get(Variant.COMPONENT).get(round).perSecond()
                                     / runs.get(Variant.HTTP).get(round).perSecond();
                roundCpuRatios[round] = runs.get(Variant.COMPONENT).get(round).cpuMicrosPerSubmit()
                                        / runs.get(Variant.HTTP).get(round).cpuMicrosPerSubmit();
            }
            report.figure("per round gptimage / camel-http, throughput", range(roundRatios));
            report.figure("per round gptimage / camel-http, CPU per submit", range(roundCpuRatios));
            double tracked = median(runs.get(Variant.TRACKED), Run::perSecond) / httpRate;
            double trackedCpu = median(runs.get(Variant.TRACKED), Run::cpuMicrosPerSubmit) / httpCpu;
            report.figure("trackCompletion=true vs camel-http (no target)",
                    String.format("throughput %.2fx, CPU per submit %.2fx", tracked, trackedCpu));
            report.atLeast("throughput gptimage / camel-http", median(runs.get(Variant.COMPONENT), Run::perSecond)
                                                               / httpRate, "x", 1.5);
            report.atMost("CPU per submit gptimage / camel-http",
                    median(runs.get(Variant.COMPONENT), Run::cpuMicrosPerSubmit) / httpCpu, "x", 0.7);
            report.machineLoad(server.cpuTime().toNanos());
            LogCounter.summarize(report);
        }
        return report;
    }

    /**
     * One round: {@code count} submits per variant, in {@code slices} turns of {@code count / slices} per variant
     * (the order rotating), so that the load of the machine's other processes falls on every variant alike.
     */
    private static Map<Variant, Run> round(CamelContext context, ProducerTemplate template, int count, int slices,
                                           int concurrency, ChildJvm server, int round) throws InterruptedException {
        Variant[] variants = Variant.values();
        Map<Variant, Run> sums = new LinkedHashMap<>();
        System.gc();
        Jvm.sleep(300);
        for (int slice = 0; slice < slices; slice++) {
            for (int i = 0; i < variants.length; i++) {
                Variant variant = variants[(i + slice + round) % variants.length];
                Run run = drive(context, template, variant, count / slices, concurrency, server);
                check(run);
                sums.merge(variant, run, (a, b) -> new Run(variant, a.count() + b.count(), a.nanos() + b.nanos(),
                        a.cpuNanos() + b.cpuNanos(), a.serverCpuNanos() + b.serverCpuNanos(),
                        a.driverCpuNanos() + b.driverCpuNanos(), 0, null));
            }
        }
        return sums;
    }

    private static void check(Run run) {
        if (run.failures() > 0) {
            throw new IllegalStateException(run.failures() + " of " + run.count() + " submits of " + run.variant().label
                                            + " failed, the first: " + run.firstFailure());
        }
    }

    /** Sends {@code count} exchanges to the variant's route with {@code concurrency} in flight. */
    private static Run drive(CamelContext context, ProducerTemplate template, Variant variant, int count,
                             int concurrency, ChildJvm server) throws InterruptedException {
        Endpoint endpoint = context.getEndpoint(variant.uri);
        Semaphore permits = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(count);
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        long serverCpu = server.cpuTime().toNanos();
        long cpu = Jvm.processCpuNanos();
        long driverCpu = Jvm.THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            permits.acquireUninterruptibly();
            Exchange exchange = endpoint.createExchange(ExchangePattern.InOut);
            exchange.getMessage().setBody(PROMPT);
            template.asyncSend(endpoint, exchange).whenComplete((result, error) -> {
                String failure = error != null ? error.toString()
                        : result.getException() != null ? result.getException().toString()
                        : TASK_ID.matcher(String.valueOf(result.getMessage().getBody())).matches() ? null
                        : "body is no task id: " + result.getMessage().getBody();
                if (failure != null && failures.getAndIncrement() == 0) {
                    firstFailure.set(failure);
                }
                permits.release();
                done.countDown();
            });
        }
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException(variant.label + ": " + done.getCount() + " submits never completed");
        }
        long nanos = System.nanoTime() - start;
        long driverCpuNanos = Jvm.THREADS.getCurrentThreadCpuTime() - driverCpu;
        long cpuNanos = Jvm.processCpuNanos() - cpu;
        long serverCpuNanos = server.cpuTime().toNanos() - serverCpu;
        return new Run(variant, count, nanos, cpuNanos, serverCpuNanos, driverCpuNanos, failures.get(),
                firstFailure.get());
    }

    private static long servedCalls(String baseUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(baseUrl + SubmitServer.COUNT_PATH)).timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body()).path("data").path("generateCalls").asLong();
    }

    private static String range(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return String.format("%.2fx .. %.2fx (rounds: %s)", sorted[0], sorted[sorted.length - 1],
                java.util.Arrays.stream(values).mapToObj(v -> String.format("%.2f", v)).toList());
    }

    private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> figure) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
