package io.github.gptimage.camel;

import org.apache.camel.spi.Metadata;

/** The message headers the component reads and sets. A header wins over the endpoint option of the same name. */
public final class GptImageConstants {

    @Metadata(label = "producer", description = "The text prompt of a generate call; wins over a String body and the prompt option.",
              javaType = "String")
    public static final String PROMPT = "CamelGptImagePrompt";

    @Metadata(label = "producer", description = "The aspect ratio: 1:1, 3:2 or 2:3.", javaType = "String")
    public static final String SIZE = "CamelGptImageSize";

    @Metadata(label = "producer", description = "Source image URLs (at most 5), as a List or a comma-separated String.",
              javaType = "java.util.List<String>")
    public static final String FILES_URL = "CamelGptImageFilesUrl";

    @Metadata(label = "producer", description = "Deprecated by the API: one source image URL, sent as a one-element filesUrl.",
              javaType = "String", deprecationNote = "Use CamelGptImageFilesUrl")
    @Deprecated
    public static final String FILE_URL = "CamelGptImageFileUrl";

    @Metadata(label = "producer", description = "The mask image URL: black areas are edited, white areas kept.",
              javaType = "String")
    public static final String MASK_URL = "CamelGptImageMaskUrl";

    @Metadata(label = "producer", description = "How many variants to generate: 1, 2 or 4.", javaType = "Integer")
    public static final String VARIANTS = "CamelGptImageVariants";

    @Metadata(label = "producer", description = "Whether the service enhances the prompt.", javaType = "Boolean")
    public static final String ENHANCE = "CamelGptImageEnhance";

    @Metadata(label = "producer", description = "Whether the service may fall back to a backup model.", javaType = "Boolean")
    public static final String ENABLE_FALLBACK = "CamelGptImageEnableFallback";

    @Metadata(label = "producer", description = "The backup model: GPT_IMAGE_1 or FLUX_MAX.", javaType = "String")
    public static final String FALLBACK_MODEL = "CamelGptImageFallbackModel";

    @Metadata(label = "producer", description = "The URL the service posts the completion to.", javaType = "String")
    public static final String CALLBACK_URL = "CamelGptImageCallbackUrl";

    @Metadata(label = "producer",
              description = "Identifies a submit within its account: a generate whose key is already known sends"
                            + " nothing and gets the existing task; wins over the idempotencyKey option.",
              javaType = "String")
    public static final String IDEMPOTENCY_KEY = "CamelGptImageIdempotencyKey";

    @Metadata(label = "producer",
              description = "Set by generate: true when its idempotency key was known and nothing was sent.",
              javaType = "Boolean")
    public static final String REPEATED_SUBMIT = "CamelGptImageRepeatedSubmit";

    @Metadata(description = "The credits the task is expected to cost (creditsPerImage x nVariants): set by generate"
                            + " once the task is accepted (also with CamelGptImageRepeatedSubmit, when this exchange"
                            + " paid nothing) and on its completion.", javaType = "Long")
    public static final String CREDITS = "CamelGptImageCredits";

    @Metadata(description = "The task id: set by generate and on completions; read by info.", javaType = "String")
    public static final String TASK_ID = "CamelGptImageTaskId";

    @Metadata(description = "The task status: GENERATING, SUCCESS, CREATE_TASK_FAILED, GENERATE_FAILED or UNKNOWN.",
              javaType = "io.github.gptimage.camel.api.TaskStatus")
    public static final String STATUS = "CamelGptImageStatus";

    @Metadata(description = "The task progress from 0.0 to 1.0.", javaType = "Double")
    public static final String PROGRESS = "CamelGptImageProgress";

    @Metadata(description = "The result image URLs (they expire with the task after 14 days).",
              javaType = "java.util.List<String>")
    public static final String RESULT_URLS = "CamelGptImageResultUrls";

    @Metadata(description = "The task's error code, when it failed.", javaType = "String")
    public static final String ERROR_CODE = "CamelGptImageErrorCode";

    @Metadata(description = "The task's error message, when it failed.", javaType = "String")
    public static final String ERROR_MESSAGE = "CamelGptImageErrorMessage";

    @Metadata(description = "When the task was created.", javaType = "java.time.Instant")
    public static final String CREATE_TIME = "CamelGptImageCreateTime";

    @Metadata(description = "When the task completed.", javaType = "java.time.Instant")
    public static final String COMPLETE_TIME = "CamelGptImageCompleteTime";

    @Metadata(label = "consumer",
              description = "On a completion: true when an earlier completion exchange of the task failed unhandled"
                            + " and this one delivers it again.", javaType = "Boolean")
    public static final String REDELIVERED = "CamelGptImageRedelivered";

    @Metadata(label = "consumer",
              description = "On a completion: how many earlier completion exchanges of the task failed unhandled.",
              javaType = "Integer")
    public static final String REDELIVERY_COUNTER = "CamelGptImageRedeliveryCounter";

    private GptImageConstants() {
    }
}
