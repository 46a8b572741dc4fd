package io.github.gptimage.camel;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;

/**
 * The GPT image API's paths and the answers the tests stub it with: generate creating a task, info reporting a task's
 * status, and the errors.
 */
final class ApiStubs {

    static final String GENERATE_PATH = "/paid/gpt4o-image/generate";
    static final String INFO_PATH = "/paid/gpt4o-image/info";

    private ApiStubs() {
    }

    /** The generate answer that created the task {@code taskId}. */
    static String created(String taskId) {
        return "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"" + taskId + "\"}}";
    }

    static ResponseDefinitionBuilder generating(String taskId) {
        return generating(taskId, "0.40");
    }

    /** A task still generating, at {@code progress} ("0.00" to "1.00"). */
    static ResponseDefinitionBuilder generating(String taskId, String progress) {
        return okJson(info(taskId, "GENERATING", 0, "[]", null, null, progress));
    }

    static ResponseDefinitionBuilder success(String taskId, String... resultUrls) {
        StringBuilder urls = new StringBuilder("[");
        for (int i = 0; i < resultUrls.length; i++) {
            urls.append(i > 0 ? "," : "").append('"').append(resultUrls[i]).append('"');
        }
        return okJson(info(taskId, "SUCCESS", 1, urls.append(']').toString(), null, null, "1.00"));
    }

    static ResponseDefinitionBuilder failed(String taskId, String status, String errorCode, String errorMessage) {
        return okJson(info(taskId, status, 2, "[]", errorCode, errorMessage, "0.00"));
    }

    private static String info(String taskId, String status, int successFlag, String resultUrls, String errorCode,
                               String errorMessage, String progress) {
        return "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"" + taskId + "\",\"paramJson\":\"{}\","
               + "\"createTime\":1672561200000,\"response\":{\"resultUrls\":" + resultUrls + "},"
               + "\"successFlag\":" + successFlag + ",\"status\":\"" + status + "\","
               + "\"errorCode\":" + (errorCode == null ? "null" : "\"" + errorCode + "\"") + ","
               + "\"errorMessage\":" + (errorMessage == null ? "null" : "\"" + errorMessage + "\"") + ","
               + "\"progress\":\"" + progress + "\"}}";
    }

    /** An envelope error answered with HTTP 200, as the service does. */
    static ResponseDefinitionBuilder apiError(int code, String msg) {
        return okJson("{\"code\":" + code + ",\"msg\":\"" + msg + "\",\"data\":null}");
    }

    static ResponseDefinitionBuilder httpError(int status) {
        return aResponse().withStatus(status).withBody("");
    }
}
