package io.github.gptimage.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The producer is asynchronous: many exchanges waiting for slow answers are in flight at once, so they complete in
 * about one answer's delay rather than one after the other.
 */
class AsyncProducerConcurrencyTest extends CamelTestSupport {

    private static final int EXCHANGES = 50;
    private static final int DELAY_MILLIS = 300;

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(EXCHANGES + 20))
            .build();

    @Test
    void concurrentExchangesDoNotWaitForEachOther() throws Exception {
        api.stubFor(post(urlPathEqualTo("/paid/gpt4o-image/generate")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(DELAY_MILLIS)
                .withBody("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"task-c\"}}")));
        String uri = "gptimage:generate?apiKey=RAW(k)&baseUrl=" + api.baseUrl();
        template.requestBody(uri, "warm-up", String.class);
        api.resetRequests();

        long start = System.nanoTime();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < EXCHANGES; i++) {
            results.add(template.asyncRequestBody(uri, "prompt " + i, String.class));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(results).allSatisfy(result -> assertThat(result.join()).isEqualTo("task-c"));
        api.verify(EXCHANGES, postRequestedFor(urlPathEqualTo("/paid/gpt4o-image/generate")));
        assertThat(elapsedMillis).as("%d exchanges of %d ms each, sequentially %d ms", EXCHANGES, DELAY_MILLIS,
                EXCHANGES * DELAY_MILLIS).isLessThan(5000);
    }

    @Test
    void processReturnsAtOnceAndCompletesThroughTheCallback() throws Exception {
        api.stubFor(post(urlPathEqualTo("/paid/gpt4o-image/generate")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(DELAY_MILLIS)
                .withBody("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"task-cb\"}}")));
        AsyncProducer producer = context.getEndpoint("gptimage:generate?apiKey=RAW(k)&baseUrl=" + api.baseUrl())
                .createAsyncProducer();
        ServiceHelper.startService(producer);
        try {
            List<Exchange> exchanges = new ArrayList<>();
            List<Boolean> doneSync = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(EXCHANGES);
            for (int i = 0; i < EXCHANGES; i++) {
                Exchange exchange = new DefaultExchange(context);
                exchange.getMessage().setBody("prompt " + i);
                exchanges.add(exchange);
                doneSync.add(producer.process(exchange, sync -> done.countDown()));
            }

            assertThat(doneSync).as("process() handed every exchange over without waiting").containsOnly(false);
            assertThat(done.await(10, TimeUnit.SECONDS)).as("every callback called").isTrue();
            assertThat(exchanges).allSatisfy(exchange -> {
                assertThat(exchange.getException()).isNull();
                assertThat(exchange.getMessage().getBody()).isEqualTo("task-cb");
            });
        } finally {
            ServiceHelper.stopService(producer);
        }
    }
}
