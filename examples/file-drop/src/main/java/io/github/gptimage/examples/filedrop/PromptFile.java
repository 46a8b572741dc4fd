package io.github.gptimage.examples.filedrop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.gptimage.camel.GptImageConstants;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * A prompt file: optional settings lines at the top ({@code size: 3:2}, {@code variants: 2}, {@code enhance: true}),
 * then the prompt. A blank line may separate the two; a file without settings is all prompt.
 *
 * <pre>
 * size: 3:2
 * variants: 2
 *
 * A wide panorama of an alpine lake at sunset
 * </pre>
 */
public record PromptFile(String prompt, String size, Integer variants, Boolean enhance) {

    private static final Pattern SETTING = Pattern.compile("^\\s*(size|variants|enhance)\\s*:\\s*(\\S.*?)\\s*$",
            Pattern.CASE_INSENSITIVE);

    /** The exchange property holding {@link #describeSettings()}, for logging. */
    public static final String SETTINGS_PROPERTY = "promptSettings";

    public static PromptFile parse(String text) {
        String size = null;
        Integer variants = null;
        Boolean enhance = null;
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        int first = 0;
        for (; first < lines.length; first++) {
            Matcher setting = SETTING.matcher(lines[first]);
            if (!setting.matches()) {
                break;
            }
            String value = setting.group(2);
            switch (setting.group(1).toLowerCase(Locale.ROOT)) {
                case "size" -> size = value;
                case "variants" -> variants = parseVariants(value);
                default -> enhance = Boolean.parseBoolean(value);
            }
        }
        String prompt = String.join("\n", Arrays.copyOfRange(lines, first, lines.length)).strip();
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("the prompt file holds no prompt");
        }
        return new PromptFile(prompt, size, variants, enhance);
    }

    private static Integer parseVariants(String value) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("variants must be 1, 2 or 4, not '" + value + "'");
        }
    }

    /** The settings the file gives, for a log line: "size 3:2, 2 variants", or "default settings". */
    public String describeSettings() {
        List<String> parts = new ArrayList<>();
        if (size != null) {
            parts.add("size " + size);
        }
        if (variants != null) {
            parts.add(variants + (variants == 1 ? " variant" : " variants"));
        }
        if (enhance != null) {
            parts.add("enhance " + enhance);
        }
        return parts.isEmpty() ? "default settings" : String.join(", ", parts);
    }

    /** Camel processor: the file body becomes the prompt, the settings become the component's headers. */
    public static void toRequest(Exchange exchange) throws InvalidPayloadException {
        PromptFile file = parse(exchange.getMessage().getMandatoryBody(String.class));
        Message message = exchange.getMessage();
        message.setBody(file.prompt());
        message.setHeader(GptImageConstants.PROMPT, file.prompt());
        if (file.size() != null) {
            message.setHeader(GptImageConstants.SIZE, file.size());
        }
        if (file.variants() != null) {
            message.setHeader(GptImageConstants.VARIANTS, file.variants());
        }
        if (file.enhance() != null) {
            message.setHeader(GptImageConstants.ENHANCE, file.enhance());
        }
        exchange.setProperty(SETTINGS_PROPERTY, file.describeSettings());
    }
}
