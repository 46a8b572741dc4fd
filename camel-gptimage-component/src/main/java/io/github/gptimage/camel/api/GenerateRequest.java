package io.github.gptimage.camel.api;

import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;

/**
 * The body of a {@code generate} call, under the API's JSON names. Every field may be null: a route's request is the
 * merge of endpoint options, the message body and headers, and only the normalised result is sent (see
 * {@link #normalized()}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(builder = GenerateRequest.Builder.class)
public record GenerateRequest(
        @JsonProperty("size") String size,
        @JsonProperty("prompt") String prompt,
        @JsonProperty("filesUrl") List<String> filesUrl,
        @JsonProperty("maskUrl") String maskUrl,
        @JsonProperty("nVariants") Integer nVariants,
        @JsonProperty("isEnhance") Boolean enhance,
        @JsonProperty("uploadCn") Boolean uploadCn,
        @JsonProperty("enableFallback") Boolean enableFallback,
        @JsonProperty("fallbackModel") String fallbackModel,
        @JsonProperty("callBackUrl") String callBackUrl,
        @Deprecated @JsonProperty("fileUrl") String fileUrl) {

    public GenerateRequest {
        filesUrl = filesUrl != null ? List.copyOf(filesUrl) : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this request's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder().merge(this);
    }

    /**
     * The request as it is sent: {@code size} and {@code nVariants} always (defaults 1:1 and 1), booleans only when
     * true, the deprecated {@code fileUrl} added to {@code filesUrl}.
     */
    public GenerateRequest normalized() {
        List<String> files = filesUrl != null ? filesUrl : List.of();
        if (fileUrl != null && !files.contains(fileUrl)) {
            files = Stream.concat(files.stream(), Stream.of(fileUrl)).toList();
        }
        return new GenerateRequest(
                size != null ? size : ImageSize.SQUARE.value(), prompt,
                files.isEmpty() ? null : files, maskUrl,
                nVariants != null ? nVariants : 1,
                trueOrNull(enhance), trueOrNull(uploadCn), trueOrNull(enableFallback),
                fallbackModel, callBackUrl, null);
    }

    private static Boolean trueOrNull(Boolean value) {
        return Boolean.TRUE.equals(value) ? Boolean.TRUE : null;
    }

    /** Builds a request; {@link #merge(GenerateRequest)} lays the set fields of another request over this one. */
    @JsonPOJOBuilder(withPrefix = "")
    @JsonIgnoreProperties(ignoreUnknown = false)
    public static final class Builder {
        private String size;
        private String prompt;
        private List<String> filesUrl;
        private String maskUrl;
        private Integer nVariants;
        private Boolean enhance;
        private Boolean uploadCn;
        private Boolean enableFallback;
        private String fallbackModel;
        private String callBackUrl;
        private String fileUrl;

        @JsonProperty("size")
        public Builder size(String size) {
            this.size = size;
            return this;
        }

        public Builder size(ImageSize size) {
            this.size = size != null ? size.value() : null;
            return this;
        }

        @JsonProperty("prompt")
        public Builder prompt(String prompt) {
            this.prompt = prompt;
            return this;
        }

        @JsonProperty("filesUrl")
        public Builder filesUrl(List<String> filesUrl) {
            this.filesUrl = filesUrl;
            return this;
        }

        public Builder filesUrl(String... filesUrl) {
            return filesUrl(List.of(filesUrl));
        }

        @JsonProperty("maskUrl")
        public Builder maskUrl(String maskUrl) {
            this.maskUrl = maskUrl;
            return this;
        }

        @JsonProperty("nVariants")
        public Builder nVariants(Integer nVariants) {
            this.nVariants = nVariants;
            return this;
        }

        @JsonProperty("isEnhance")
        public Builder enhance(Boolean enhance) {
            this.enhance = enhance;
            return this;
        }

        @JsonProperty("uploadCn")
        public Builder uploadCn(Boolean uploadCn) {
            this.uploadCn = uploadCn;
            return this;
        }

        @JsonProperty("enableFallback")
        public Builder enableFallback(Boolean enableFallback) {
            this.enableFallback = enableFallback;
            return this;
        }

        @JsonProperty("fallbackModel")
        public Builder fallbackModel(String fallbackModel) {
            this.fallbackModel = fallbackModel;
            return this;
        }

        public Builder fallbackModel(FallbackModel fallbackModel) {
            this.fallbackModel = fallbackModel != null ? fallbackModel.name() : null;
            return this;
        }

        @JsonProperty("callBackUrl")
        public Builder callBackUrl(String callBackUrl) {
            this.callBackUrl = callBackUrl;
            return this;
        }

        /** @deprecated the API deprecated {@code fileUrl}; use {@link #filesUrl(String...)}. */
        @Deprecated
        @JsonProperty("fileUrl")
        public Builder fileUrl(String fileUrl) {
            this.fileUrl = fileUrl;
            return this;
        }

        /** Takes every field that {@code other} sets, leaving the others as they are. */
        public Builder merge(GenerateRequest other) {
            if (other == null) {
                return this;
            }
            size = pick(other.size(), size);
            prompt = pick(other.prompt(), prompt);
            filesUrl = pick(other.filesUrl(), filesUrl);
            maskUrl = pick(other.maskUrl(), maskUrl);
            nVariants = pick(other.nVariants(), nVariants);
            enhance = pick(other.enhance(), enhance);
            uploadCn = pick(other.uploadCn(), uploadCn);
            enableFallback = pick(other.enableFallback(), enableFallback);
            fallbackModel = pick(other.fallbackModel(), fallbackModel);
            callBackUrl = pick(other.callBackUrl(), callBackUrl);
            fileUrl = pick(other.fileUrl(), fileUrl);
            return this;
        }

        private static <T> T pick(T preferred, T fallback) {
            return preferred != null ? preferred : fallback;
        }

        public GenerateRequest build() {
            return new GenerateRequest(size, prompt, filesUrl, maskUrl, nVariants, enhance, uploadCn, enableFallback,
                                       fallbackModel, callBackUrl, fileUrl);
        }
    }
}
