package io.github.gptimage.simulator;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Draws the "generated" picture of a task: a diagonal gradient whose colours derive from the
 * prompt, the prompt itself word-wrapped on a translucent panel, and a footer with the variant
 * number and the size, placed by {@link ResultImageLayout} so that no two texts overlap.
 */
final class ResultImageRenderer {

    private static final String NO_PROMPT = "(image edit without prompt)";

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    byte[] renderPng(String prompt, ImageSize size, int variant, int variants) {
        String text = textOf(prompt);
        BufferedImage image = new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            prepare(g);
            ResultImageLayout layout = ResultImageLayout.of(g, text, size, variant, variants);
            paintBackground(g, text, size, variant);
            paintPanel(g, layout.panel());
            paintLines(g, Color.WHITE, layout.prompt());
            paintLines(g, new Color(255, 255, 255, 220), layout.footer());
        } finally {
            g.dispose();
        }
        return encode(image);
    }

    /** The layout {@link #renderPng} uses for these arguments, measured the same way. */
    ResultImageLayout layout(String prompt, ImageSize size, int variant, int variants) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            prepare(g);
            return ResultImageLayout.of(g, textOf(prompt), size, variant, variants);
        } finally {
            g.dispose();
        }
    }

    private static String textOf(String prompt) {
        return prompt == null || prompt.isBlank() ? NO_PROMPT : prompt;
    }

    private static void prepare(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    }

    private static void paintBackground(Graphics2D g, String text, ImageSize size, int variant) {
        int hash = text.hashCode();
        float hue = ((hash & 0xffff) / 65535f + variant * 0.13f) % 1f;
        Color from = Color.getHSBColor(hue, 0.65f, 0.85f);
        Color to = Color.getHSBColor((hue + 0.35f) % 1f, 0.75f, 0.45f);
        g.setPaint(new GradientPaint(0, 0, from, size.width(), size.height(), to));
        g.fillRect(0, 0, size.width(), size.height());
    }

    private static void paintPanel(Graphics2D g, Rectangle panel) {
        g.setPaint(new Color(0, 0, 0, 110));
        g.fillRoundRect(panel.x, panel.y, panel.width, panel.height, 48, 48);
    }

    private static void paintLines(Graphics2D g, Color color, List<ResultImageLayout.TextLine> lines) {
        g.setColor(color);
        for (ResultImageLayout.TextLine line : lines) {
            g.setFont(line.font());
            g.drawString(line.text(), line.x(), line.baseline());
        }
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
