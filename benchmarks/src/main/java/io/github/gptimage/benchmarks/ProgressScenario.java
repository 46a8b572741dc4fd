package io.github.gptimage.benchmarks;

import java.time.Duration;
import java.util.Optional;

import io.github.gptimage.camel.GptImageComponent;
import io.github.gptimage.camel.task.InMemoryTaskStore;
import io.github.gptimage.camel.task.TaskState;
import io.github.gptimage.camel.task.TrackedTask;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * {@code progress}: one task of 60 s whose progress the simulator reports rising linearly from its submit, waited
 * for with the default poll options: info calls, and the lag from the moment it was final to the moment the exchange
 * completed. The task is watched in the store meanwhile, so that each poll (its time, the progress it found and the
 * next due time the schedule set) is printed.
 */
final class ProgressScenario {

    private ProgressScenario() {
    }

    static Report run(Args args) throws Exception {
        Report report = new Report("progress");
        Duration completion = Duration.ofSeconds(args.intValue("progress-seconds", 60));
        try (SimulatorProcess simulator = SimulatorProcess.start(completion)) {
            CamelContext context = new DefaultCamelContext();
            InMemoryTaskStore store = new InMemoryTaskStore();
            context.getComponent("gptimage", GptImageComponent.class).getConfiguration().setTaskStore(store);
            String uri = "gptimage:generate?apiKey=RAW(" + SimulatorProcess.API_KEY + ")&baseUrl="
                         + simulator.baseUrl() + "&waitForCompletion=true";
            try {
                context.start();
                Endpoint endpoint = context.getEndpoint(uri);
                ProducerTemplate template = context.createProducerTemplate();
                template.setThreadedAsyncMode(false);
                report.figure("endpoint", uri.replaceAll("baseUrl=[^&]+", "baseUrl=(simulator)")
                                          + " (default pollInitialDelay 10 s, pollMaxInterval 30 s)");
                report.figure("simulator", "own JVM, completionTime " + completion.toSeconds() + " s");

                WaitsScenario.Burst one = new WaitsScenario.Burst(1);
                long submitted = System.currentTimeMillis();
                one.submit(template, endpoint);
                // the task id, from the simulator's admin API (no info call), to watch the task in the store
                String taskId = null;
                while (taskId == null && System.currentTimeMillis() - submitted < 30_000) {
                    taskId = simulator.tasks().keySet().stream().findFirst().orElse(null);
                    Jvm.sleep(taskId == null ? 20 : 0);
                }
                int polls = 0;
                long deadline = System.nanoTime() + completion.plusSeconds(90).toNanos();
                while (taskId != null && one.done.getCount() > 0 && System.nanoTime() < deadline) {
                    Optional<TrackedTask> task = store.find(taskId);
                    if (task.isPresent() && task.get().pollCount() > polls
                        && task.get().state() == TaskState.PENDING) {
                        polls = task.get().pollCount();
                        TrackedTask seen = task.get();
                        report.figure("poll " + polls + " seen at +" + seconds(System.currentTimeMillis() - submitted),
                                "progress " + seen.progress() + ", next poll at +"
                                + seconds(seen.dueAt().toEpochMilli() - submitted));
                    }
                    Jvm.sleep(10);
                }
                if (!one.awaitDone(Duration.ofSeconds(1))) {
                    throw new IllegalStateException("the exchange did not complete within " + completion.plusSeconds(90));
                }
                if (one.failures.get() > 0) {
                    throw new IllegalStateException("the exchange failed: " + one.firstFailure.get());
                }
                SimulatorProcess.SimTask simTask = simulator.tasks().get(one.taskIds[0]);
                long infoCalls = simulator.infoCalls();
                long lag = one.doneAt[0] - simTask.completeTime();
                report.figure("simulator createTime -> completeTime", seconds(simTask.completeTime()
                                                                              - simTask.createTime()));
                report.figure("exchange done at", "+" + seconds(one.doneAt[0] - submitted) + " after the asyncSend");
                report.atMost("info calls", infoCalls, "", 5);
                report.atMost("lag final -> completion", lag / 1000.0, "s", 3);
            } finally {
                context.stop();
            }
            report.machineLoad(simulator.jvm().cpuTime().toNanos());
            LogCounter.summarize(report);
        }
        return report;
    }

    private static String seconds(long millis) {
        return String.format("%.2f s", millis / 1000.0);
    }
}
