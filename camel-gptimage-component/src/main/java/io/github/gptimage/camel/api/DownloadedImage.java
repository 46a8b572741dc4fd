package io.github.gptimage.camel.api;

/**
 * A result image fetched from its URL.
 *
 * @param url         where it was fetched from
 * @param bytes       the image
 * @param contentType the {@code Content-Type} the server sent, or null
 */
public record DownloadedImage(String url, byte[] bytes, String contentType) {
}
