package io.github.gptimage.simulator;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class ResultImageLayoutTest {

    private static final String SHORT_PROMPT = "A red fox in the snow";
    private static final String LONG_PROMPT = String.join(" ", Collections.nCopies(80,
            "a very detailed painting of mountains"));
    private static final ResultImageRenderer renderer = new ResultImageRenderer();

    static Stream<Arguments> everySizeAndVariant() {
        List<Arguments> cases = new ArrayList<>();
        for (ImageSize size : ImageSize.values()) {
            for (int variants : new int[] {1, 2, 4}) {
                for (int variant = 1; variant <= variants; variant++) {
                    for (String prompt : new String[] {SHORT_PROMPT, LONG_PROMPT, null}) {
                        cases.add(Arguments.of(size, variant, variants, prompt));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} variant {1} of {2}")
    @MethodSource("everySizeAndVariant")
    void noTwoTextLinesOverlapAndAllStayOnThePanel(ImageSize size, int variant, int variants, String prompt) {
        ResultImageLayout layout = renderer.layout(prompt, size, variant, variants);

        assertThat(layout.footer()).extracting(ResultImageLayout.TextLine::text)
                .containsExactly(ResultImageLayout.variantText(variant, variants), ResultImageLayout.label(size));
        assertThat(layout.prompt()).isNotEmpty();
        List<ResultImageLayout.TextLine> lines = layout.lines();
        for (int i = 0; i < lines.size(); i++) {
            Rectangle box = lines.get(i).bounds();
            assertThat(box.isEmpty()).as(lines.get(i).text()).isFalse();
            assertThat(layout.panel().contains(box)).as("%s inside %s", box, layout.panel()).isTrue();
            for (int j = i + 1; j < lines.size(); j++) {
                assertThat(box.intersects(lines.get(j).bounds()))
                        .as("'%s' %s overlaps '%s' %s", lines.get(i).text(), box, lines.get(j).text(),
                                lines.get(j).bounds())
                        .isFalse();
            }
        }
    }

    @ParameterizedTest(name = "{0} variant {1} of {2}")
    @MethodSource("everySizeAndVariant")
    void aLongPromptIsCutAboveTheFooter(ImageSize size, int variant, int variants, String prompt) {
        ResultImageLayout layout = renderer.layout(prompt, size, variant, variants);

        int footerTop = layout.footer().stream().mapToInt(line -> line.bounds().y).min().orElseThrow();
        int promptBottom = layout.prompt().stream().mapToInt(line -> (int) line.bounds().getMaxY()).max()
                .orElseThrow();
        assertThat(promptBottom).isLessThanOrEqualTo(footerTop - ResultImageLayout.SECTION_GAP);
        if (LONG_PROMPT.equals(prompt)) {
            assertThat(layout.prompt().get(layout.prompt().size() - 1).text()).isEqualTo(ResultImageLayout.ELLIPSIS);
        }
    }

    static Stream<Arguments> everySize() {
        return Stream.of(ImageSize.values()).flatMap(size -> Stream.of(1, 2, 4)
                .map(variants -> Arguments.of(size, variants)));
    }

    @ParameterizedTest(name = "{0}, {1} variants")
    @MethodSource("everySize")
    void theRendererDrawsTheFooterWhereTheLayoutPutsIt(ImageSize size, int variants) throws IOException {
        ResultImageLayout layout = renderer.layout(LONG_PROMPT, size, variants, variants);

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                renderer.renderPng(LONG_PROMPT, size, variants, variants)));

        assertThat(image.getWidth()).isEqualTo(size.width());
        assertThat(image.getHeight()).isEqualTo(size.height());
        for (ResultImageLayout.TextLine line : layout.footer()) {
            assertThat(brightPixels(image, line.bounds())).as(line.text()).isGreaterThan(100);
        }
        Rectangle between = gapAbove(layout.footer());
        assertThat(brightPixels(image, between)).as("no text in %s", between).isZero();
    }

    /** The strip of the panel's width between the footer's top and the last prompt line, less a pixel each side. */
    private static Rectangle gapAbove(List<ResultImageLayout.TextLine> footer) {
        int top = footer.stream().mapToInt(line -> line.bounds().y).min().orElseThrow();
        return new Rectangle(ResultImageLayout.MARGIN, top - ResultImageLayout.SECTION_GAP + 1,
                footer.get(1).bounds().width, ResultImageLayout.SECTION_GAP - 2);
    }

    private static int brightPixels(BufferedImage image, Rectangle area) {
        int count = 0;
        for (int y = area.y; y < area.getMaxY(); y++) {
            for (int x = area.x; x < area.getMaxX(); x++) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16) & 0xff) > 200 && ((rgb >> 8) & 0xff) > 200 && (rgb & 0xff) > 200) {
                    count++;
                }
            }
        }
        return count;
    }
}
