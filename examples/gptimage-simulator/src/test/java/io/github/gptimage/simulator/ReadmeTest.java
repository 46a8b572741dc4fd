package io.github.gptimage.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The module README names its reference files by their path in the project, and they are there. */
class ReadmeTest {

    /** Surefire runs the tests in the module directory. */
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)\\)");

    private static String readme() throws IOException {
        return Files.readString(MODULE.resolve("README.md"));
    }

    @Test
    void namesNoAbsolutePathOfABuildMachine() throws IOException {
        assertThat(readme()).doesNotContain("/work/").doesNotContain("/home/").doesNotContain("/tmp/");
    }

    @Test
    void referenceFilesAreLinkedAndPresent() throws IOException {
        String readme = readme();
        assertThat(readme).contains("](docs/reference/gpt-image-api.txt)", "](docs/reference/API-NOTES.md)");
        Matcher links = LINK.matcher(readme);
        while (links.find()) {
            String target = links.group(1);
            if (!target.startsWith("http")) {
                assertThat(MODULE.resolve(target)).as(target).isRegularFile();
            }
        }
        assertThat(Files.readString(MODULE.resolve("docs/reference/gpt-image-api.txt")))
                .contains("POST https://api.revidapi.com/paid/gpt4o-image/generate");
        assertThat(Files.readString(MODULE.resolve("docs/reference/API-NOTES.md")))
                .contains("The receiver has about 15 s to answer");
    }
}
