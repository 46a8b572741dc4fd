package io.github.gptimage.camel.api;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.github.gptimage.camel.error.GptImageException;
import io.github.gptimage.camel.error.GptImageProtocolException;
import io.github.gptimage.camel.error.GptImageSubmitInDoubtException;
import io.github.gptimage.camel.error.GptImageTransportException;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;

/**
 * {@link GptImageClient} on Apache HttpClient 5's async client. No thread waits for an answer: the client's I/O
 * reactor reads it, and the returned future is completed on the given executor (one of Camel's pools), so that the
 * route never runs on an I/O thread and no {@code CompletableFuture} default pool is involved.
 */
public class HttpGptImageClient implements GptImageClient {

    static final String GENERATE_PATH = "/paid/gpt4o-image/generate";
    static final String INFO_PATH = "/paid/gpt4o-image/info";
    static final String API_KEY_HEADER = "x-api-key";
    private static final int SNIPPET_LENGTH = 200;

    private final CloseableHttpAsyncClient http;
    private final String baseUrl;
    private final URI generateUri;
    private final String apiKey;
    /** The writer of the generate body and the reader of the envelopes, looked up once rather than per call. */
    private final ObjectWriter requestWriter;
    private final ObjectReader envelopeReader;
    private final TaskInfoReader taskInfoReader;
    private final Executor executor;
    /** The requests waiting for their answers, so that a stop can cancel them. */
    private final Set<Future<?>> inFlight = ConcurrentHashMap.newKeySet();

    public HttpGptImageClient(CloseableHttpAsyncClient http, String baseUrl, String apiKey, ObjectMapper mapper,
                              Executor executor) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.generateUri = URI.create(this.baseUrl + GENERATE_PATH);
        this.apiKey = apiKey;
        this.requestWriter = mapper.writerFor(GenerateRequest.class);
        this.envelopeReader = mapper.readerFor(JsonNode.class);
        this.taskInfoReader = new TaskInfoReader(mapper);
        this.executor = executor;
    }

    @Override
    public CompletableFuture<String> generate(GenerateRequest request, Duration timeout) {
        byte[] json;
        try {
            json = requestWriter.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new GptImageProtocolException(0, "Cannot write the request", null, e));
        }
        SimpleHttpRequest post = SimpleRequestBuilder.post(generateUri)
                .setBody(json, ContentType.APPLICATION_JSON)
                .build();
        return call(post, timeout, null, true, data -> {
            String taskId = data != null ? TaskInfoReader.text(data.get("taskId")) : null;
            if (taskId == null) {
                throw new GptImageProtocolException(200, "The generate answer has no data.taskId", null, null);
            }
            return taskId;
        });
    }

    @Override
    public CompletableFuture<TaskInfo> info(String taskId, Duration timeout) {
        SimpleHttpRequest post = SimpleRequestBuilder.post(
                URI.create(baseUrl + INFO_PATH + "?taskId=" + URLEncoder.encode(taskId, StandardCharsets.UTF_8)))
                .build();
        return call(post, timeout, taskId, false, data -> taskInfoReader.read(taskId, data));
    }

    @Override
    public CompletableFuture<DownloadedImage> download(String url, long maxBytes, Duration timeout) {
        SimpleHttpRequest get = SimpleRequestBuilder.get(URI.create(url)).build();
        get.setConfig(requestConfig(timeout));
        CompletableFuture<DownloadedImage> result = new CompletableFuture<>();
        FutureCallback<DownloadedImage> completion = completingOn(result, null, "download of " + url);
        execute(() -> track(http.execute(SimpleRequestProducer.create(get), new CappedImageConsumer(url, maxBytes),
                completion), result), completion);
        return result;
    }

    /**
     * Sends {@code request}. For a generate ({@code paid}), a failure after the request may have reached the service
     * is a final {@link GptImageSubmitInDoubtException}: the service may have created and charged the task. A failure
     * before anything was sent (connect refused or timed out, unknown host, no pooled connection in time) stays a
     * retryable {@link GptImageTransportException}, as does every failure of a free call.
     */
    private <T> CompletableFuture<T> call(SimpleHttpRequest request, Duration timeout, String taskId, boolean paid,
                                         Function<JsonNode, T> onData) {
        request.setHeader(API_KEY_HEADER, apiKey);
        request.setConfig(requestConfig(timeout));
        CompletableFuture<T> result = new CompletableFuture<>();
        FutureCallback<T> completion = completingOn(result, taskId, "GPT image API call " + request.getPath());
        SendTracking producer = new SendTracking(SimpleRequestProducer.create(request));
        execute(() -> track(http.execute(producer, SimpleResponseConsumer.create(),
                new FutureCallback<SimpleHttpResponse>() {
                    @Override
                    public void completed(SimpleHttpResponse response) {
                        try {
                            completion.completed(onData.apply(envelopeData(response, taskId)));
                        } catch (GptImageException e) {
                            completion.failed(e);
                        }
                    }

                    @Override
                    public void failed(Exception cause) {
                        completion.failed(paid && producer.sent() && !(cause instanceof GptImageException)
                                ? submitInDoubt(cause, timeout) : cause);
                    }

                    @Override
                    public void cancelled() {
                        completion.cancelled();
                    }
                }), result), completion);
        return result;
    }

    /** Keeps {@code request} in {@link #inFlight} until {@code result} is complete (at once when it already is). */
    private void track(Future<?> request, CompletableFuture<?> result) {
        inFlight.add(request);
        result.whenComplete((value, error) -> inFlight.remove(request));
    }

    @Override
    public void cancelCallsInFlight() {
        for (Future<?> request : inFlight) {
            request.cancel(true);
        }
    }

    private static GptImageSubmitInDoubtException submitInDoubt(Exception cause, Duration timeout) {
        String what = cause instanceof java.net.SocketTimeoutException
                ? "no answer within submitTimeout " + timeout + " (" + cause + ")"
                : cause.toString();
        return new GptImageSubmitInDoubtException(
                "GPT image generate failed after the request was sent (" + what + "): the task may have been created"
                                                  + " and paid for without its id reaching the component. This is"
                                                  + " final, not a retryable transport error: a retry may pay twice."
                                                  + " Look for the task in the provider's task list before"
                                                  + " submitting again",
                cause);
    }

    /** The call's timeout bounds the wait for its answer and the wait for a pooled connection. */
    private static RequestConfig requestConfig(Duration timeout) {
        return RequestConfig.custom()
                .setResponseTimeout(Timeout.of(timeout))
                .setConnectionRequestTimeout(Timeout.of(timeout))
                .build();
    }

    /** Runs {@code send}, failing {@code completion} when the client refuses the request outright (closed, say). */
    private static void execute(Runnable send, FutureCallback<?> completion) {
        try {
            send.run();
        } catch (RuntimeException e) {
            completion.failed(e);
        }
    }

    /**
     * A callback that completes {@code result} on the executor; an error that is not already one of the component's
     * becomes a retryable {@link GptImageTransportException}.
     */
    private <T> FutureCallback<T> completingOn(CompletableFuture<T> result, String taskId, String what) {
        return new FutureCallback<>() {
            @Override
            public void completed(T value) {
                completeOnExecutor(() -> result.complete(value));
            }

            @Override
            public void failed(Exception cause) {
                GptImageException error = cause instanceof GptImageException known
                        ? known : new GptImageTransportException(what + " failed: " + cause, taskId, cause);
                completeOnExecutor(() -> result.completeExceptionally(error));
            }

            @Override
            public void cancelled() {
                failed(new java.util.concurrent.CancellationException("request cancelled"));
            }
        };
    }

    private void completeOnExecutor(Runnable completion) {
        try {
            executor.execute(completion);
        } catch (RejectedExecutionException e) {
            // the pool is shutting down: finish on this thread rather than leave the exchange waiting for ever
            completion.run();
        }
    }

    /**
     * The {@code data} of a successful envelope; throws the mapped exception otherwise. The body's {@code code} decides
     * when there is one, since the service reports most errors inside an HTTP 200; else the HTTP status does.
     */
    private JsonNode envelopeData(SimpleHttpResponse response, String taskId) {
        int status = response.getCode();
        JsonNode envelope = parse(response.getBodyBytes());
        JsonNode code = envelope != null ? envelope.get("code") : null;
        if (code != null && code.canConvertToInt()) {
            int apiCode = code.asInt();
            int effective = apiCode != 200 ? apiCode : status >= 300 ? status : 200;
            if (effective == 200) {
                return envelope.get("data");
            }
            throw ApiErrors.forCode(effective, TaskInfoReader.text(envelope.get("msg")), taskId,
                    retryAfter(response.getFirstHeader("Retry-After")));
        }
        if (status >= 200 && status < 300) {
            throw new GptImageProtocolException(status,
                    "The GPT image API answered HTTP " + status + " with a body that is not its JSON envelope: "
                                                        + snippet(response.getBodyText()),
                    taskId, null);
        }
        throw ApiErrors.forCode(status, response.getReasonPhrase(), taskId,
                retryAfter(response.getFirstHeader("Retry-After")));
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode node = envelopeReader.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String snippet(String body) {
        if (body == null || body.isEmpty()) {
            return "(empty)";
        }
        return body.length() > SNIPPET_LENGTH ? body.substring(0, SNIPPET_LENGTH) + "..." : body;
    }

    /** {@code Retry-After} as seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(Header header) {
        if (header == null || header.getValue() == null) {
            return null;
        }
        String value = header.getValue().trim();
        try {
            return Duration.ofSeconds(Long.parseLong(value));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration wait = Duration.between(Instant.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /**
     * A request producer that records whether the request started going out on a connection: HttpClient asks for the
     * body ({@link #produce}) only once a connection is established and the request head is written to it, while
     * {@link #sendRequest} runs before any connection is leased. Every generate has a body.
     */
    private static final class SendTracking implements AsyncRequestProducer {
        private final AsyncRequestProducer delegate;
        private volatile boolean sent;

        SendTracking(AsyncRequestProducer delegate) {
            this.delegate = delegate;
        }

        boolean sent() {
            return sent;
        }

        @Override
        public void sendRequest(RequestChannel channel, HttpContext context) throws HttpException, java.io.IOException {
            delegate.sendRequest(channel, context);
        }

        @Override
        public boolean isRepeatable() {
            return delegate.isRepeatable();
        }

        @Override
        public void failed(Exception cause) {
            delegate.failed(cause);
        }

        @Override
        public int available() {
            return delegate.available();
        }

        @Override
        public void produce(DataStreamChannel channel) throws java.io.IOException {
            sent = true;
            delegate.produce(channel);
        }

        @Override
        public void releaseResources() {
            delegate.releaseResources();
        }
    }
}
