package io.github.gptimage.camel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The callback receiver under slow and broken clients, on platform-http's Vert.x server: a client that sends the
 * headers and then trickles its body is answered 408 and closed once {@code callbackReadTimeout} passed, while other
 * callbacks are served meanwhile; a client that aborts its connection mid-body is logged at DEBUG, not as an ERROR
 * with a stack trace.
 */
class CallbackReadTimeoutTest extends CallbackTestSupport {

    private static final long READ_TIMEOUT = 1000;

    @Override
    boolean verifyCallbacks() {
        return true;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getComponent("gptimage", GptImageComponent.class).setCallbackReadTimeout(READ_TIMEOUT);
        return context;
    }

    /** The race of callbacks and polls runs in the verified and unverified subclasses; not again here. */
    @Override
    void callbackAndPollRacingOnFiftyTasksEmitEachOnce() {
    }

    @Test
    void theDefaultReadTimeoutIs15Seconds() {
        assertThat(new GptImageComponent().getCallbackReadTimeout()).isEqualTo(15_000);
    }

    @Test
    void tricklingClientsAreAnswered408AtTheReadTimeoutWhileOtherCallbacksAreServed() throws Exception {
        startConsumer();
        String url = submitTask("t-fast", success("t-fast", "https://cdn.example.com/t-fast.png"));
        assertThat(post(url, "{}")).as("a malformed callback, warming the test's HTTP client up").isEqualTo(400);
        int clients = 20;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (LogCapture log = LogCapture.warnings()) {
            List<Future<Answer>> trickles = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                trickles.add(pool.submit(() -> trickle(Duration.ofSeconds(8))));
            }
            Thread.sleep(200);
            long start = System.nanoTime();
            assertThat(post(url, successCallback("t-fast", "https://cdn.example.com/t-fast.png"))).isEqualTo(200);
            long servedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(servedMillis).as("a callback among trickling clients, ms").isLessThan(READ_TIMEOUT);

            for (Future<Answer> trickle : trickles) {
                Answer answer = trickle.get(10, TimeUnit.SECONDS);
                assertThat(answer.statusLine() == null || answer.statusLine().startsWith("HTTP/1.1 408"))
                        .as("answered 408 or closed: %s", answer).isTrue();
                assertThat(answer.closed()).as("connection closed: %s", answer).isTrue();
                assertThat(answer.afterMillis()).as("ended after ms: %s", answer)
                        .isBetween(READ_TIMEOUT - 100, READ_TIMEOUT + 2000);
            }
            // a client whose unread bytes make the close a reset loses its 408: at least one gets it
            assertThat(trickles).anySatisfy(trickle -> assertThat(trickle.get().statusLine()).startsWith("HTTP/1.1 408"));
            Thread.sleep(300);
            assertThat(log.lines()).as("warnings and errors logged").isEmpty();
        } finally {
            pool.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> emitted() == 1);
    }

    @Test
    void anAbortedCallbackConnectionIsLoggedAtDebugWithoutAnError() throws Exception {
        startConsumer();
        String url = submitTask("t-after", success("t-after", "https://cdn.example.com/t-after.png"));
        List<String> lines;
        try (LogCapture log = LogCapture.withLevels(Map.of("io.github.gptimage.camel.task", Level.DEBUG))) {
            for (int i = 0; i < 3; i++) {
                try (Socket socket = new Socket("localhost", port)) {
                    OutputStream out = socket.getOutputStream();
                    out.write(head(100).getBytes(StandardCharsets.US_ASCII));
                    out.write("{\"code\":".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(100);
                }
            }
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> log.linesContaining("closed before its request was read").size() == 3);
            assertThat(post(url, successCallback("t-after", "https://cdn.example.com/t-after.png"))).isEqualTo(200);
            Thread.sleep(300);
            lines = log.lines();
        }
        assertThat(lines).filteredOn(line -> line.contains("closed before its request was read"))
                .hasSize(3).allSatisfy(line -> assertThat(line).startsWith("DEBUG ").doesNotContain("\n\tat "));
        assertThat(lines).noneMatch(line -> line.startsWith("ERROR ") || line.startsWith("WARN "));
        await().atMost(Duration.ofSeconds(5)).until(() -> emitted() == 1);
    }

    private static String head(int contentLength) {
        return "POST /gptimage/callback/some-token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
               + "Content-Length: " + contentLength + "\r\n\r\n";
    }

    /** What a trickling client saw: the status line (null when closed unanswered), when, and whether it was closed. */
    record Answer(String statusLine, long afterMillis, boolean closed) {
    }

    /** Sends the headers and a first byte, then one byte every 100 ms until answered, closed or {@code limit}. */
    private Answer trickle(Duration limit) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(100);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            out.write((head(1000) + "{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[1024];
            while (System.nanoTime() - start < limit.toNanos()) {
                try {
                    out.write(' ');
                    out.flush();
                } catch (IOException closed) {
                    return answer(received, start, true);
                }
                try {
                    int read = in.read(buffer);
                    if (read < 0) {
                        return answer(received, start, true);
                    }
                    received.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
                } catch (SocketTimeoutException nothingYet) {
                    // keep trickling
                } catch (IOException reset) {
                    return answer(received, start, true);
                }
            }
            return answer(received, start, false);
        }
    }

    private static Answer answer(StringBuilder received, long start, boolean closed) {
        String text = received.toString();
        String statusLine = text.isEmpty() ? null : text.lines().findFirst().orElse(null);
        return new Answer(statusLine, (System.nanoTime() - start) / 1_000_000, closed);
    }
}
