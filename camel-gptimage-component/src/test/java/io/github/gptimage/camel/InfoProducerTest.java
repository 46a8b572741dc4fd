package io.github.gptimage.camel;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.gptimage.camel.api.TaskInfo;
import io.github.gptimage.camel.api.TaskStatus;
import io.github.gptimage.camel.error.GptImageValidationException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.gptimage.camel.ApiStubs.INFO_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code gptimage:info}: the call it makes (POST with the task id as query parameter and no body), where it takes the
 * task id from, and the {@link TaskInfo} body and headers it reads from the answer, quirks included.
 */
class InfoProducerTest extends GptImageTestSupport {

    static final String SUCCESS = """
            {"code":200,"msg":"success","data":{
              "taskId":"task12345",
              "paramJson":"{\\"prompt\\":\\"A beautiful sunset\\",\\"size\\":\\"1:1\\",\\"isEnhance\\":false,\\"nVariants\\":2}",
              "completeTime":1672574400000,
              "response":{"resultUrls":["https://cdn.example.com/r/1.png","https://cdn.example.com/r/2.png"]},
              "successFlag":1,"status":"SUCCESS","errorCode":null,"errorMessage":"",
              "createTime":1672561200000,"progress":"1.00"}}""";

    @Test
    void taskIdHeaderIsSentAsQueryParameterOfABodylessPost() {
        stubInfo(200, SUCCESS);

        Exchange exchange = send(uri("info", null), null, Map.of(GptImageConstants.TASK_ID, "task12345"));

        assertThat(exchange.getException()).isNull();
        api.verify(1, postRequestedFor(urlPathEqualTo(INFO_PATH))
                .withQueryParam("taskId", equalTo("task12345"))
                .withHeader("x-api-key", equalTo(API_KEY))
                .withHeader("Content-Type", absent()));
        assertThat(api.findAll(postRequestedFor(urlPathEqualTo(INFO_PATH))).get(0).getBody()).isEmpty();
    }

    @Test
    void taskIdHeaderWinsOverStringBody() {
        stubInfo(200, SUCCESS);

        send(uri("info", null), "body-task", Map.of(GptImageConstants.TASK_ID, "header-task"));

        api.verify(1, postRequestedFor(urlPathEqualTo(INFO_PATH)).withQueryParam("taskId", equalTo("header-task")));
    }

    @Test
    void stringBodyIsTheTaskIdWithoutHeader() {
        stubInfo(200, SUCCESS);

        send(uri("info", null), " task12345 ");

        api.verify(1, postRequestedFor(urlPathEqualTo(INFO_PATH)).withQueryParam("taskId", equalTo("task12345")));
    }

    @Test
    void taskIdIsUrlEncoded() {
        stubInfo(200, SUCCESS);

        send(uri("info", null), "a&b=c d");

        api.verify(1, postRequestedFor(urlPathEqualTo(INFO_PATH)).withQueryParam("taskId", equalTo("a&b=c d")));
    }

    @Test
    void successfulTaskIsReadIntoTaskInfoAndHeaders() {
        stubInfo(200, SUCCESS);

        Exchange exchange = send(uri("info", null), "task12345");

        assertThat(exchange.getException()).isNull();
        Message message = exchange.getMessage();
        TaskInfo info = message.getBody(TaskInfo.class);
        assertThat(info.taskId()).isEqualTo("task12345");
        assertThat(info.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(info.isFinal()).isTrue();
        assertThat(info.isSuccess()).isTrue();
        assertThat(info.progress()).isEqualTo(1.0);
        assertThat(info.resultUrls()).containsExactly("https://cdn.example.com/r/1.png", "https://cdn.example.com/r/2.png");
        assertThat(info.errorCode()).isNull();
        assertThat(info.errorMessage()).isNull();
        assertThat(info.createTime()).isEqualTo(Instant.ofEpochMilli(1672561200000L));
        assertThat(info.completeTime()).isEqualTo(Instant.ofEpochMilli(1672574400000L));
        assertThat(info.parameters()).containsExactlyInAnyOrderEntriesOf(
                Map.of("prompt", "A beautiful sunset", "size", "1:1", "isEnhance", false, "nVariants", 2));

        assertThat(message.getHeader(GptImageConstants.TASK_ID)).isEqualTo("task12345");
        assertThat(message.getHeader(GptImageConstants.STATUS)).isEqualTo(TaskStatus.SUCCESS);
        assertThat(message.getHeader(GptImageConstants.PROGRESS)).isEqualTo(1.0);
        assertThat(message.getHeader(GptImageConstants.RESULT_URLS))
                .isEqualTo(List.of("https://cdn.example.com/r/1.png", "https://cdn.example.com/r/2.png"));
        assertThat(message.getHeader(GptImageConstants.CREATE_TIME)).isEqualTo(Instant.ofEpochMilli(1672561200000L));
        assertThat(message.getHeader(GptImageConstants.COMPLETE_TIME)).isEqualTo(Instant.ofEpochMilli(1672574400000L));
        assertThat(message.getHeaders()).doesNotContainKeys(GptImageConstants.ERROR_CODE, GptImageConstants.ERROR_MESSAGE);
    }

    @Test
    void failedTaskCarriesErrorCodeAndMessage() {
        stubInfo(200, """
                {"code":200,"msg":"success","data":{"taskId":"t-f","status":"GENERATE_FAILED","successFlag":2,
                 "errorCode":"400","errorMessage":"Your content was flagged","progress":"0.35",
                 "createTime":1672561200000,"completeTime":null,"response":null,"paramJson":null}}""");

        Exchange exchange = send(uri("info", null), "t-f");

        TaskInfo info = exchange.getMessage().getBody(TaskInfo.class);
        assertThat(info.status()).isEqualTo(TaskStatus.GENERATE_FAILED);
        assertThat(info.isFinal()).isTrue();
        assertThat(info.isFailure()).isTrue();
        assertThat(info.errorCode()).isEqualTo("400");
        assertThat(info.errorMessage()).isEqualTo("Your content was flagged");
        assertThat(info.resultUrls()).isEmpty();
        assertThat(info.parameters()).isEmpty();
        assertThat(info.completeTime()).isNull();
        Message message = exchange.getMessage();
        assertThat(message.getHeader(GptImageConstants.ERROR_CODE)).isEqualTo("400");
        assertThat(message.getHeader(GptImageConstants.ERROR_MESSAGE)).isEqualTo("Your content was flagged");
        assertThat(message.getHeader(GptImageConstants.PROGRESS)).isEqualTo(0.35);
        assertThat(message.getHeader(GptImageConstants.STATUS)).isEqualTo(TaskStatus.GENERATE_FAILED);
        assertThat(message.getHeader(GptImageConstants.RESULT_URLS)).isEqualTo(List.of());
        assertThat(message.getHeaders()).doesNotContainKey(GptImageConstants.COMPLETE_TIME);
    }

    @Test
    void resultUrlsSpelledWithUnderscoreAreRead() {
        stubInfo(200, """
                {"code":200,"msg":"success","data":{"taskId":"t-u","status":"SUCCESS",
                 "response":{"result_urls":["https://cdn.example.com/u.png"]}}}""");

        Exchange exchange = send(uri("info", null), "t-u");

        assertThat(exchange.getMessage().getBody(TaskInfo.class).resultUrls()).containsExactly("https://cdn.example.com/u.png");
        assertThat(exchange.getMessage().getHeader(GptImageConstants.RESULT_URLS))
                .isEqualTo(List.of("https://cdn.example.com/u.png"));
    }

    @Test
    void nullDataIsAPendingTaskOfTheRequestedId() {
        stubInfo(200, "{\"code\":200,\"msg\":\"success\",\"data\":null}");

        Exchange exchange = send(uri("info", null), "t-new");

        assertThat(exchange.getException()).isNull();
        TaskInfo info = exchange.getMessage().getBody(TaskInfo.class);
        assertThat(info.taskId()).isEqualTo("t-new");
        assertThat(info.status()).isEqualTo(TaskStatus.UNKNOWN);
        assertThat(info.isFinal()).isFalse();
        assertThat(info.resultUrls()).isEmpty();
        assertThat(exchange.getMessage().getHeader(GptImageConstants.TASK_ID)).isEqualTo("t-new");
        assertThat(exchange.getMessage().getHeader(GptImageConstants.STATUS)).isEqualTo(TaskStatus.UNKNOWN);
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKey(GptImageConstants.PROGRESS);
    }

    @Test
    void generatingTaskWithNullResponseAndNumericProgress() {
        stubInfo(200, """
                {"code":200,"msg":"success","data":{"taskId":"t-g","status":"GENERATING","successFlag":0,
                 "response":null,"progress":0.5,"errorMessage":"null","errorCode":"null","createTime":"1672561200000"}}""");

        Exchange exchange = send(uri("info", null), "t-g");

        TaskInfo info = exchange.getMessage().getBody(TaskInfo.class);
        assertThat(info.status()).isEqualTo(TaskStatus.GENERATING);
        assertThat(info.isFinal()).isFalse();
        assertThat(info.progress()).isEqualTo(0.5);
        assertThat(info.resultUrls()).isEmpty();
        assertThat(info.errorMessage()).isNull();
        assertThat(info.errorCode()).isNull();
        assertThat(info.createTime()).isEqualTo(Instant.ofEpochMilli(1672561200000L));
        assertThat(exchange.getMessage().getHeaders())
                .doesNotContainKeys(GptImageConstants.ERROR_CODE, GptImageConstants.ERROR_MESSAGE);
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"0.50\"", "0.50", "0.5", "\" 0.5 \"" })
    void progressAsStringOrNumber(String progress) {
        stubInfo(200, "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"t\",\"status\":\"GENERATING\","
                      + "\"progress\":" + progress + "}}");

        Exchange exchange = send(uri("info", null), "t");

        assertThat(exchange.getMessage().getBody(TaskInfo.class).progress()).isEqualTo(0.5);
        assertThat(exchange.getMessage().getHeader(GptImageConstants.PROGRESS, Double.class)).isEqualTo(0.5);
    }

    @Test
    void unknownStatusIsUnknownAndNotFinal() {
        stubInfo(200, "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"t\",\"status\":\"QUEUED\"}}");

        Exchange exchange = send(uri("info", null), "t");

        TaskInfo info = exchange.getMessage().getBody(TaskInfo.class);
        assertThat(info.status()).isEqualTo(TaskStatus.UNKNOWN);
        assertThat(info.isFinal()).isFalse();
        assertThat(info.isSuccess()).isFalse();
        assertThat(info.isFailure()).isFalse();
        assertThat(exchange.getMessage().getHeader(GptImageConstants.STATUS)).isEqualTo(TaskStatus.UNKNOWN);
    }

    @Test
    void createTaskFailedIsFinalFailure() {
        stubInfo(200, "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"t\",\"status\":\"CREATE_TASK_FAILED\"}}");

        TaskInfo info = send(uri("info", null), "t").getMessage().getBody(TaskInfo.class);

        assertThat(info.isFinal()).isTrue();
        assertThat(info.isFailure()).isTrue();
    }

    @Test
    void unknownTaskIs422WithTheTaskId() {
        stubInfo(200, "{\"code\":422,\"msg\":\"recordInfo is null\",\"data\":null}");

        Exchange exchange = send(uri("info", null), "t-missing");

        GptImageValidationException error = failure(exchange, GptImageValidationException.class);
        assertThat(error.getCode()).isEqualTo(422);
        assertThat(error.getApiMessage()).isEqualTo("recordInfo is null");
        assertThat(error.getTaskId()).isEqualTo("t-missing");
        assertThat(error.getMessage()).contains("422").contains("recordInfo is null").contains("t-missing");
    }
}
