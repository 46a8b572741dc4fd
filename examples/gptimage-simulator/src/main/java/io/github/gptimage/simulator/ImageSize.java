package io.github.gptimage.simulator;

import java.util.Arrays;
import java.util.Optional;

/** The aspect ratios of the API and the pixel sizes they stand for (the gpt-image sizes). */
enum ImageSize {
    SQUARE("1:1", 1024, 1024),
    LANDSCAPE("3:2", 1536, 1024),
    PORTRAIT("2:3", 1024, 1536);

    private final String ratio;
    private final int width;
    private final int height;

    ImageSize(String ratio, int width, int height) {
        this.ratio = ratio;
        this.width = width;
        this.height = height;
    }

    String ratio() {
        return ratio;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    static Optional<ImageSize> ofRatio(String ratio) {
        return Arrays.stream(values()).filter(s -> s.ratio.equals(ratio)).findFirst();
    }
}
