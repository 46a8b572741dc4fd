package io.github.gptimage.camel.api;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The aspect ratios the API accepts, with the pixel size each one produces. */
public enum ImageSize {
    SQUARE("1:1", 1024, 1024),
    LANDSCAPE("3:2", 1536, 1024),
    PORTRAIT("2:3", 1024, 1536);

    private final String value;
    private final int width;
    private final int height;

    ImageSize(String value, int width, int height) {
        this.value = value;
        this.width = width;
        this.height = height;
    }

    /** The value the API takes in {@code size}, for example {@code 3:2}. */
    public String value() {
        return value;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The size for an API value, or null when the value is not one the API accepts. */
    public static ImageSize fromValue(String value) {
        for (ImageSize size : values()) {
            if (size.value.equals(value)) {
                return size;
            }
        }
        return null;
    }

    /** The accepted values, for messages: {@code 1:1, 3:2, 2:3}. */
    public static String acceptedValues() {
        return Arrays.stream(values()).map(ImageSize::value).collect(Collectors.joining(", "));
    }
}
