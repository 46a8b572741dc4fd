package io.github.gptimage.camel;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.gptimage.camel.error.GptImageDownloadException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code download=true} on the tasks consumer: the images replace the URLs as the body (byte[] for one, List for
 * several, with their Content-Type), a too large image fails the task finally, and a download that fails for a
 * reason that may pass is tried again later: the task is emitted once, never lost.
 */
class CompletionDownloadTest extends GptImageTestSupport {

    private static final byte[] PNG = bytes(1000, 1);
    private static final byte[] WEBP = bytes(700, 2);

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return withTestStore(super.createCamelContext());
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return tasksRoute("download=true&downloadMaxSize=2000", true);
    }

    private static String file(String name) {
        return api.baseUrl() + "/files/" + name;
    }

    private void stubFile(String name, byte[] content, String contentType) {
        api.stubFor(get(urlPathEqualTo("/files/" + name)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", contentType).withBody(content)));
    }

    private String submitSucceeding(String taskId, String... urls) {
        stubGenerate(taskId);
        stubInfo(taskId, success(taskId, urls));
        Exchange submitted = submit(uri("generate", "pollInitialDelay=334&pollMaxInterval=334"));
        assertThat(submitted.getException()).isNull();
        return taskId;
    }

    @Test
    void oneImageBecomesAByteArrayBodyWithItsContentType() {
        stubFile("d1.png", PNG, "image/png");
        submitSucceeding("t-d1", file("d1.png"));

        await().atMost(Duration.ofSeconds(5)).until(() -> getMockEndpoint("mock:done").getReceivedCounter() == 1);

        Exchange done = getMockEndpoint("mock:done").getReceivedExchanges().get(0);
        assertThat(done.getMessage().getBody()).isInstanceOf(byte[].class).isEqualTo(PNG);
        assertThat(done.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("image/png");
        assertThat(done.getMessage().getHeader(GptImageConstants.RESULT_URLS)).isEqualTo(List.of(file("d1.png")));
        assertThat(done.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("t-d1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void severalImagesBecomeAListInResultOrderWithAContentTypeList() {
        stubFile("v1.png", PNG, "image/png");
        stubFile("v2.webp", WEBP, "image/webp");
        submitSucceeding("t-d2", file("v1.png"), file("v2.webp"));

        await().atMost(Duration.ofSeconds(5)).until(() -> getMockEndpoint("mock:done").getReceivedCounter() == 1);

        Exchange done = getMockEndpoint("mock:done").getReceivedExchanges().get(0);
        assertThat(done.getMessage().getBody()).isInstanceOf(List.class);
        List<byte[]> images = done.getMessage().getBody(List.class);
        assertThat(images).hasSize(2);
        assertThat(images.get(0)).isEqualTo(PNG);
        assertThat(images.get(1)).isEqualTo(WEBP);
        assertThat(done.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo(List.of("image/png", "image/webp"));
        assertThat(done.getMessage().getHeader(GptImageConstants.RESULT_URLS))
                .isEqualTo(List.of(file("v1.png"), file("v2.webp")));
    }

    @Test
    void imageLargerThanTheLimitFailsTheTaskFinally() {
        stubFile("big.png", bytes(3000, 3), "image/png");
        submitSucceeding("t-big", file("big.png"));

        await().atMost(Duration.ofSeconds(5)).until(() -> getMockEndpoint("mock:dead").getReceivedCounter() == 1);

        Exchange dead = getMockEndpoint("mock:dead").getReceivedExchanges().get(0);
        Exception caught = dead.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertThat(caught).isInstanceOf(GptImageDownloadException.class);
        assertThat(((GptImageDownloadException) caught).isRetryable()).isFalse();
        assertThat(dead.getMessage().getHeader(GptImageConstants.RESULT_URLS)).isEqualTo(List.of(file("big.png")));
        assertThat(dead.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("t-big");
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> getMockEndpoint("mock:dead").getReceivedCounter() == 1
                             && getMockEndpoint("mock:done").getReceivedCounter() == 0);
        awaitStoreEmpty();
    }

    @Test
    void failedDownloadIsTriedAgainAndTheTaskEmittedOnce() {
        api.stubFor(get(urlPathEqualTo("/files/flaky.png")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("recovered"));
        api.stubFor(get(urlPathEqualTo("/files/flaky.png")).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "image/png").withBody(PNG)));
        submitSucceeding("t-flaky", file("flaky.png"));

        await().atMost(Duration.ofSeconds(8)).until(() -> getMockEndpoint("mock:done").getReceivedCounter() == 1);
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> getMockEndpoint("mock:done").getReceivedCounter() == 1);

        Exchange done = getMockEndpoint("mock:done").getReceivedExchanges().get(0);
        assertThat(done.getMessage().getBody()).isEqualTo(PNG);
        assertThat(done.getMessage().getHeader(GptImageConstants.RESULT_URLS)).isEqualTo(List.of(file("flaky.png")));
        assertThat(api.findAll(getRequestedFor(urlPathEqualTo("/files/flaky.png")))).hasSize(2);
        assertThat(getMockEndpoint("mock:dead").getReceivedCounter()).isZero();
        awaitStoreEmpty();
    }
}
