package io.github.gptimage.simulator;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws the "generated" picture of a task: a diagonal gradient whose colours derive from the
 * prompt, the prompt itself word-wrapped on a translucent panel, and the variant number.
 */
final class ResultImageRenderer {

    private static final int MARGIN = 64;
    private static final int MAX_PROMPT_LINES = 14;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    byte[] renderPng(String prompt, ImageSize size, int variant, int variants) {
        String text = prompt == null ? "(image edit without prompt)" : prompt;
        BufferedImage image = new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            paintBackground(g, text, size, variant);
            paintPanel(g, size);
            paintPrompt(g, text, size);
            paintFooter(g, size, variant, variants);
        } finally {
            g.dispose();
        }
        return encode(image);
    }

    private static void paintBackground(Graphics2D g, String text, ImageSize size, int variant) {
        int hash = text.hashCode();
        float hue = ((hash & 0xffff) / 65535f + variant * 0.13f) % 1f;
        Color from = Color.getHSBColor(hue, 0.65f, 0.85f);
        Color to = Color.getHSBColor((hue + 0.35f) % 1f, 0.75f, 0.45f);
        g.setPaint(new GradientPaint(0, 0, from, size.width(), size.height(), to));
        g.fillRect(0, 0, size.width(), size.height());
    }

    private static void paintPanel(Graphics2D g, ImageSize size) {
        g.setPaint(new Color(0, 0, 0, 110));
        g.fillRoundRect(MARGIN / 2, MARGIN / 2, size.width() - MARGIN, size.height() - MARGIN, 48, 48);
    }

    private static void paintPrompt(Graphics2D g, String text, ImageSize size) {
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 56));
        FontMetrics metrics = g.getFontMetrics();
        List<String> lines = wrap(text, metrics, size.width() - 2 * MARGIN);
        int y = MARGIN + metrics.getAscent();
        for (String line : lines.subList(0, Math.min(lines.size(), MAX_PROMPT_LINES))) {
            g.drawString(line, MARGIN, y);
            y += metrics.getHeight();
        }
        if (lines.size() > MAX_PROMPT_LINES) {
            g.drawString("...", MARGIN, y);
        }
    }

    private static void paintFooter(Graphics2D g, ImageSize size, int variant, int variants) {
        g.setColor(new Color(255, 255, 255, 220));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 40));
        int baseline = size.height() - MARGIN;
        g.drawString("Variant " + variant + " of " + variants, MARGIN, baseline);
        String label = "GPT image simulator  " + size.ratio() + "  " + size.width() + "x" + size.height();
        g.drawString(label, size.width() - MARGIN - g.getFontMetrics().stringWidth(label), baseline);
    }

    /** Greedy word wrap; a single word wider than the line is cut into pieces. */
    private static List<String> wrap(String text, FontMetrics metrics, int maxWidth) {
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

    private static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }
}
