package io.github.gptimage.camel.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

import io.github.gptimage.camel.error.GptImageBudgetExceededException;
import io.github.gptimage.camel.error.GptImageDownloadException;
import io.github.gptimage.camel.error.GptImageException;
import io.github.gptimage.camel.error.GptImageProtocolException;
import io.github.gptimage.camel.error.GptImageSubmitInDoubtException;
import io.github.gptimage.camel.error.GptImageTaskStoreFullException;
import io.github.gptimage.camel.error.GptImageTransportException;
import io.github.gptimage.camel.error.GptImageValidationException;
import io.github.gptimage.camel.task.TaskMetrics;
import io.github.gptimage.camel.task.TaskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component's metrics on a Micrometer {@link MeterRegistry}. Tags name the account (never its key), the API
 * operation, the outcome and the API's code or the task's status; meters about generating follow the OpenTelemetry
 * GenAI conventions' attributes {@code gen_ai.operation.name} ({@code generate_content}) and
 * {@code gen_ai.request.model} ({@code gpt-4o-image}).
 * <ul>
 * <li>{@value #SUBMITS} (counter): generate submits by {@code outcome} (accepted, refused with the API's
 * {@code code}, validation and not_sent before anything was sent (code store_full, budget_exceeded or store), failed
 * without an answer);</li>
 * <li>{@value #CREDITS} (counter): the credits the accepted tasks are expected to cost, by account;</li>
 * <li>{@value #SUBMIT_DURATION} (timer): the generate calls that were sent, until their answer;</li>
 * <li>{@value #INFO_CALLS} (counter): info calls by outcome and code;</li>
 * <li>{@value #CALLBACKS} (counter): callbacks by {@code verdict};</li>
 * <li>{@value #COMPLETIONS} (counter) and {@value #TASK_DURATION} (timer, from submit to the final answer): tasks by
 * final {@code status} and {@code source} (poll or callback);</li>
 * <li>{@value #IMAGES_DOWNLOADED} (counter, by outcome) and {@value #IMAGES_DOWNLOADED_BYTES} (counter, bytes);</li>
 * <li>{@value #TASKS} (gauge): the tasks of each {@code store} by {@code state} (pending, final).</li>
 * </ul>
 */
public final class MicrometerTaskMetrics implements TaskMetrics {

    public static final String SUBMITS = "gptimage.submits";
    public static final String SUBMIT_DURATION = "gptimage.submit.duration";
    public static final String INFO_CALLS = "gptimage.info.calls";
    public static final String CALLBACKS = "gptimage.callbacks";
    public static final String COMPLETIONS = "gptimage.completions";
    public static final String TASK_DURATION = "gptimage.task.duration";
    public static final String IMAGES_DOWNLOADED = "gptimage.images.downloaded";
    public static final String IMAGES_DOWNLOADED_BYTES = "gptimage.images.downloaded.bytes";
    public static final String TASKS = "gptimage.tasks";
    public static final String CREDITS = "gptimage.credits";

    public static final String ACCOUNT = "account";
    public static final String OPERATION = "operation";
    public static final String OUTCOME = "outcome";
    public static final String CODE = "code";
    public static final String STATUS = "status";
    public static final String SOURCE = "source";
    public static final String VERDICT = "verdict";
    public static final String STORE = "store";
    public static final String STATE = "state";
    public static final String GEN_AI_OPERATION = "gen_ai.operation.name";
    public static final String GEN_AI_MODEL = "gen_ai.request.model";
    /** The OpenTelemetry GenAI operation an image generation is. */
    public static final String GENERATE_CONTENT = "generate_content";
    /** The model the API generates with (its fallback models are the service's choice). */
    public static final String MODEL = "gpt-4o-image";
    /** The name of camel-micrometer's registry bean, preferred when several MeterRegistry beans are bound. */
    public static final String REGISTRY_BEAN = "metricsRegistry";

    private static final Logger LOG = LoggerFactory.getLogger(MicrometerTaskMetrics.class);
    private static final Tags GEN_AI = Tags.of(GEN_AI_OPERATION, GENERATE_CONTENT, GEN_AI_MODEL, MODEL);

    private final MeterRegistry registry;
    private final Map<String, List<Meter>> storeGauges = new ConcurrentHashMap<>();
    /**
     * The meters of generate and info calls by account and outcome, registered at their first use: a lookup in the
     * registry (tags sorted, the meter's id hashed) per call cost about a microsecond per submit.
     */
    private final Map<Call, SubmitMeters> submitMeters = new ConcurrentHashMap<>();
    private final Map<Call, Counter> infoCounters = new ConcurrentHashMap<>();

    public MicrometerTaskMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * The metrics on the context's MeterRegistry bean: the one named {@value #REGISTRY_BEAN}, else the only one, else
     * a composite one among several; {@link TaskMetrics#NONE} when there is none.
     */
    public static TaskMetrics bind(CamelContext context) {
        MeterRegistry registry = context.getRegistry().lookupByNameAndType(REGISTRY_BEAN, MeterRegistry.class);
        if (registry == null) {
            Set<MeterRegistry> found = context.getRegistry().findByType(MeterRegistry.class);
            registry = found.stream().filter(CompositeMeterRegistry.class::isInstance).findFirst()
                    .orElse(found.stream().findFirst().orElse(null));
            if (found.size() > 1) {
                LOG.info("Several MeterRegistry beans are bound: the GPT image metrics use {} (bind one named {} to"
                         + " choose)", registry.getClass().getSimpleName(), REGISTRY_BEAN);
            }
        }
        if (registry == null) {
            LOG.debug("No MeterRegistry bean is bound: the GPT image component records no metrics");
            return TaskMetrics.NONE;
        }
        LOG.debug("The GPT image component records its metrics to {}", registry.getClass().getSimpleName());
        return new MicrometerTaskMetrics(registry);
    }

    @Override
    public void submitted(String account, Duration took, Throwable error) {
        SubmitMeters meters = submitMeters.computeIfAbsent(Call.of(account, "generate", error), call -> {
            Tags tags = call.tags().and(GEN_AI);
            return new SubmitMeters(
                    Counter.builder(SUBMITS).description("GPT image generate submits by outcome").tags(tags)
                            .register(registry),
                    Timer.builder(SUBMIT_DURATION).description("GPT image generate calls, until the service answered")
                            .tags(tags).register(registry));
        });
        meters.submits().increment();
        meters.duration().record(took);
    }

    @Override
    public void notSent(String account, Throwable error) {
        boolean validation = error instanceof GptImageValidationException;
        String code = validation ? "none"
                : error instanceof GptImageTaskStoreFullException ? "store_full"
                : error instanceof GptImageBudgetExceededException ? "budget_exceeded" : "store";
        Counter.builder(SUBMITS).description("GPT image generate submits by outcome")
                .tags(Tags.of(ACCOUNT, account, OPERATION, "generate", OUTCOME, validation ? "validation" : "not_sent",
                        CODE, code).and(GEN_AI))
                .register(registry).increment();
    }

    @Override
    public void charged(String account, long credits) {
        Counter.builder(CREDITS).description("Credits the accepted GPT image tasks are expected to cost")
                .baseUnit("credits").tags(Tags.of(ACCOUNT, account).and(GEN_AI)).register(registry)
                .increment(credits);
    }

    @Override
    public void infoCalled(String account, Throwable error) {
        infoCounters.computeIfAbsent(Call.of(account, "info", error), call -> Counter.builder(INFO_CALLS)
                .description("GPT image info calls by outcome").tags(call.tags()).register(registry)).increment();
    }

    @Override
    public void downloaded(String account, long bytes, Throwable error) {
        String outcome = error == null ? "success" : error instanceof GptImageDownloadException ? "too_large" : "failed";
        Counter.builder(IMAGES_DOWNLOADED).description("GPT image result images downloaded, by outcome")
                .tags(ACCOUNT, account, OPERATION, "download", OUTCOME, outcome).register(registry).increment();
        if (error == null) {
            Counter.builder(IMAGES_DOWNLOADED_BYTES).description("Bytes of the GPT image result images downloaded")
                    .baseUnit("bytes").tags(ACCOUNT, account).register(registry).increment(bytes);
        }
    }

    @Override
    public void callback(String verdict) {
        Counter.builder(CALLBACKS).description("GPT image callbacks received, by the receiver's verdict")
                .tags(VERDICT, verdict).register(registry).increment();
    }

    @Override
    public void completed(String account, String status, boolean polled, Duration sinceSubmit) {
        Tags tags = Tags.of(ACCOUNT, account, STATUS, status).and(GEN_AI);
        Counter.builder(COMPLETIONS).description("GPT image tasks that reached a final status")
                .tags(tags.and(SOURCE, polled ? "poll" : "callback")).register(registry).increment();
        Timer.builder(TASK_DURATION).description("GPT image tasks from submit to their final status").tags(tags)
                .register(registry).record(sinceSubmit);
    }

    @Override
    public void watchStore(String store, ToIntFunction<TaskState> count) {
        List<Meter> gauges = List.of(gauge(store, TaskState.PENDING, count), gauge(store, TaskState.FINAL, count));
        List<Meter> replaced = storeGauges.put(store, gauges);
        if (replaced != null) {
            replaced.stream().filter(meter -> !gauges.contains(meter)).forEach(registry::remove);
        }
    }

    @Override
    public void unwatchStore(String store) {
        List<Meter> gauges = storeGauges.remove(store);
        if (gauges != null) {
            gauges.forEach(registry::remove);
        }
    }

    private Meter gauge(String store, TaskState state, ToIntFunction<TaskState> count) {
        return Gauge.builder(TASKS, count, counter -> {
            try {
                return counter.applyAsInt(state);
            } catch (RuntimeException storeFailing) {
                return Double.NaN;
            }
        }).description("GPT image tasks in the task store, by state").tags(STORE, store, STATE, tag(state.name()))
                .strongReference(true).register(registry);
    }

    /** The account, operation, outcome and code of a call's result: the tags of its meters. */
    private record Call(String account, String operation, String outcome, String code) {

        Tags tags() {
            return Tags.of(ACCOUNT, account, OPERATION, operation, OUTCOME, outcome, CODE, code);
        }

        static Call of(String account, String operation, Throwable error) {
            String outcome;
            String code;
            if (error == null) {
                outcome = operation.equals("generate") ? "accepted" : "success";
                code = "200";
            } else if (error instanceof GptImageTransportException) {
                outcome = "failed";
                code = "transport";
            } else if (error instanceof GptImageSubmitInDoubtException) {
                outcome = "failed";
                code = "in_doubt";
            } else if (error instanceof GptImageProtocolException) {
                outcome = "failed";
                code = "protocol";
            } else if (error instanceof GptImageException known && known.getCode() > 0) {
                outcome = "refused";
                code = String.valueOf(known.getCode());
            } else {
                outcome = "failed";
                code = "error";
            }
            return new Call(account, operation, outcome, code);
        }
    }

    private record SubmitMeters(Counter submits, Timer duration) {
    }

    private static String tag(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
