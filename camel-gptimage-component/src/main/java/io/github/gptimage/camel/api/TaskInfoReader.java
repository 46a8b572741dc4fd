package io.github.gptimage.camel.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the {@code data} of an {@code info} answer, tolerating what public clients have met: {@code resultUrls} or
 * {@code result_urls}, null {@code data} or {@code response}, {@code errorMessage} "null", progress as a string.
 */
public final class TaskInfoReader {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper mapper;

    TaskInfoReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    TaskInfo read(String requestedTaskId, JsonNode data) {
        if (data == null || !data.isObject()) {
            return TaskInfo.pending(requestedTaskId);
        }
        String taskId = text(data.get("taskId"));
        return new TaskInfo(
                taskId != null ? taskId : requestedTaskId,
                TaskStatus.fromValue(text(data.get("status"))),
                number(data.get("progress")),
                resultUrls(data.get("response")),
                text(data.get("errorCode")),
                text(data.get("errorMessage")),
                time(data.get("createTime")),
                time(data.get("completeTime")),
                parameters(data.get("paramJson")));
    }

    /** The URLs under {@code resultUrls} or {@code result_urls} of a {@code response} or callback {@code info}. */
    public static List<String> resultUrls(JsonNode holder) {
        if (holder == null || !holder.isObject()) {
            return List.of();
        }
        JsonNode urls = holder.has("resultUrls") ? holder.get("resultUrls") : holder.get("result_urls");
        List<String> result = new ArrayList<>();
        if (urls != null && urls.isArray()) {
            urls.forEach(url -> {
                String value = text(url);
                if (value != null) {
                    result.add(value);
                }
            });
        }
        return result;
    }

    /** A node's text, with JSON null, blank and the literal "null" read as absent. */
    static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String value = node.asText();
        return value.isBlank() || "null".equals(value) ? null : value;
    }

    private static Double number(JsonNode node) {
        String value = text(node);
        if (value == null) {
            return null;
        }
        try {
            return Double.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant time(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.canConvertToLong()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        String value = text(node);
        if (value == null) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Map<String, Object> parameters(JsonNode node) {
        try {
            if (node != null && node.isObject()) {
                return mapper.convertValue(node, MAP);
            }
            String json = text(node);
            return json != null ? mapper.readValue(json, MAP) : Map.of();
        } catch (Exception e) {
            // paramJson only echoes the request: a value the component cannot read costs nothing but the echo
            return Map.of();
        }
    }
}
