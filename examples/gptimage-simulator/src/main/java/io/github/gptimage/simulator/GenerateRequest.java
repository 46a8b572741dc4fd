package io.github.gptimage.simulator;

import com.fasterxml.jackson.databind.JsonNode;

/** The fields of a valid generate body that the simulator acts on, plus the body itself as paramJson. */
record GenerateRequest(ImageSize size, String prompt, int nVariants, String callBackUrl, String paramJson) {

    /** Reads a body that {@link GenerateRequestValidator} accepted. */
    static GenerateRequest from(JsonNode body) {
        return new GenerateRequest(
                ImageSize.ofRatio(body.get("size").asText()).orElseThrow(),
                textOrNull(body, "prompt"),
                body.path("nVariants").asInt(1),
                textOrNull(body, "callBackUrl"),
                Json.write(body));
    }

    private static String textOrNull(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() || node.asText().isBlank() ? null : node.asText();
    }
}
