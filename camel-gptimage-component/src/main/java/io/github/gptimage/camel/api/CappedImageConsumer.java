package io.github.gptimage.camel.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import io.github.gptimage.camel.error.GptImageDownloadException;
import io.github.gptimage.camel.error.GptImageException;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Streams a result image into memory and gives up as soon as it is larger than the limit, so that an unexpected
 * answer cannot exhaust the heap. A non-2xx answer fails with the API's error for that status.
 */
final class CappedImageConsumer extends AbstractBinResponseConsumer<DownloadedImage> {

    private static final int WINDOW = 64 * 1024;

    private final String url;
    private final long maxBytes;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private String contentType;

    CappedImageConsumer(String url, long maxBytes) {
        this.url = url;
        this.maxBytes = maxBytes;
    }

    @Override
    protected void start(HttpResponse response, ContentType type) {
        int status = response.getCode();
        if (status < 200 || status >= 300) {
            GptImageException error = ApiErrors.forCode(status, "download of " + url + " answered " + status, null,
                    null);
            throw error.isRetryable() || status == 408 ? error : new GptImageDownloadException(error.getMessage(), null);
        }
        Header length = response.getFirstHeader("Content-Length");
        if (length != null && parseLong(length.getValue()) > maxBytes) {
            throw tooLarge();
        }
        contentType = type != null ? type.getMimeType() : null;
    }

    @Override
    protected int capacityIncrement() {
        return WINDOW;
    }

    @Override
    protected void data(ByteBuffer data, boolean endOfStream) {
        if (buffer.size() + (long) data.remaining() > maxBytes) {
            throw tooLarge();
        }
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        buffer.write(chunk, 0, chunk.length);
    }

    @Override
    protected DownloadedImage buildResult() {
        return new DownloadedImage(url, buffer.toByteArray(), contentType);
    }

    @Override
    public void releaseResources() {
        // the buffer is the result; nothing else is held
    }

    private GptImageDownloadException tooLarge() {
        return new GptImageDownloadException("The result image " + url + " is larger than downloadMaxSize ("
                                             + maxBytes + " bytes)", null);
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
