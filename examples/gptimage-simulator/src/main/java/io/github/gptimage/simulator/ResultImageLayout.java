package io.github.gptimage.simulator;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the texts of a result image go, measured with the {@link FontMetrics} of the graphics
 * that draws them: the prompt, word-wrapped from the top, and a footer with "Variant n of N" and
 * the simulator label. The footer is one line (variant left, label right) when both fit side by
 * side with a gap, else two left-aligned lines, label at the bottom; the prompt gets as many lines
 * as fit above the footer. No two lines' boxes (ascent to descent, as wide as the text) overlap.
 */
record ResultImageLayout(Rectangle panel, List<TextLine> prompt, List<TextLine> footer) {

    static final int MARGIN = 64;
    static final Font PROMPT_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 56);
    static final Font FOOTER_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 40);
    static final int MAX_PROMPT_LINES = 14;
    /** The least horizontal space between the two footer texts on one line. */
    static final int FOOTER_GAP = 48;
    /** The least vertical space between the prompt and the footer. */
    static final int SECTION_GAP = 24;
    static final String ELLIPSIS = "...";

    /** One line of text: drawn at ({@code x}, {@code baseline}), occupying {@code bounds}. */
    record TextLine(String text, Font font, int x, int baseline, Rectangle bounds) {

        static TextLine at(String text, Font font, FontMetrics metrics, int x, int baseline) {
            return new TextLine(text, font, x, baseline, new Rectangle(x, baseline - metrics.getAscent(),
                    metrics.stringWidth(text), metrics.getAscent() + metrics.getDescent()));
        }
    }

    /** All lines, prompt first. */
    List<TextLine> lines() {
        List<TextLine> all = new ArrayList<>(prompt);
        all.addAll(footer);
        return all;
    }

    static String variantText(int variant, int variants) {
        return "Variant " + variant + " of " + variants;
    }

    static String label(ImageSize size) {
        return "GPT image simulator  " + size.ratio() + "  " + size.width() + "x" + size.height();
    }

    static ResultImageLayout of(Graphics2D g, String text, ImageSize size, int variant, int variants) {
        Rectangle panel = new Rectangle(MARGIN / 2, MARGIN / 2, size.width() - MARGIN, size.height() - MARGIN);
        List<TextLine> footer = footer(g.getFontMetrics(FOOTER_FONT), size, variant, variants);
        int footerTop = footer.stream().mapToInt(line -> line.bounds().y).min().orElse(size.height() - MARGIN);
        List<TextLine> prompt = prompt(g.getFontMetrics(PROMPT_FONT), text, size, footerTop - SECTION_GAP);
        return new ResultImageLayout(panel, prompt, footer);
    }

    private static List<TextLine> footer(FontMetrics metrics, ImageSize size, int variant, int variants) {
        String variantText = variantText(variant, variants);
        String label = label(size);
        int left = MARGIN;
        int right = size.width() - MARGIN;
        int bottomBaseline = size.height() - MARGIN;
        if (metrics.stringWidth(variantText) + FOOTER_GAP + metrics.stringWidth(label) <= right - left) {
            return List.of(
                    TextLine.at(variantText, FOOTER_FONT, metrics, left, bottomBaseline),
                    TextLine.at(label, FOOTER_FONT, metrics, right - metrics.stringWidth(label), bottomBaseline));
        }
        return List.of(
                TextLine.at(variantText, FOOTER_FONT, metrics, left, bottomBaseline - metrics.getHeight()),
                TextLine.at(label, FOOTER_FONT, metrics, left, bottomBaseline));
    }

    /** The wrapped prompt, as many lines as end above {@code bottom}; a cut prompt ends with a "..." line. */
    private static List<TextLine> prompt(FontMetrics metrics, String text, ImageSize size, int bottom) {
        int fitting = (bottom - MARGIN - metrics.getAscent() - metrics.getDescent()) / metrics.getHeight() + 1;
        int maxLines = Math.max(1, Math.min(MAX_PROMPT_LINES, fitting));
        List<String> wrapped = wrap(text, metrics, size.width() - 2 * MARGIN);
        List<String> shown = wrapped.size() <= maxLines ? wrapped
                : new ArrayList<>(wrapped.subList(0, maxLines - 1));
        if (wrapped.size() > maxLines) {
            shown.add(ELLIPSIS);
        }
        List<TextLine> lines = new ArrayList<>();
        int baseline = MARGIN + metrics.getAscent();
        for (String line : shown) {
            lines.add(TextLine.at(line, PROMPT_FONT, metrics, MARGIN, baseline));
            baseline += metrics.getHeight();
        }
        return lines;
    }

    /** Greedy word wrap; a single word wider than the line is cut into pieces. */
    static List<String> wrap(String text, FontMetrics metrics, int maxWidth) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.trim().split("\\s+")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (metrics.stringWidth(candidate) <= maxWidth) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (!line.isEmpty()) {
                lines.add(line.toString());
                line.setLength(0);
            }
            String rest = word;
            while (metrics.stringWidth(rest) > maxWidth) {
                int cut = rest.length() - 1;
                while (cut > 1 && metrics.stringWidth(rest.substring(0, cut)) > maxWidth) {
                    cut--;
                }
                lines.add(rest.substring(0, cut));
                rest = rest.substring(cut);
            }
            line.append(rest);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
