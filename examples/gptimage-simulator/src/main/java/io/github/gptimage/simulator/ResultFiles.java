package io.github.gptimage.simulator;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The result images of successful tasks, served by the simulator under
 * {@code /files/{taskId}_{variant}.png}. Each image is rendered on its first download and kept.
 */
final class ResultFiles {

    static final String PATH_PREFIX = "/files/";
    private static final Pattern FILE_NAME = Pattern.compile("([0-9a-f]+)_(\\d+)\\.png");

    private final Supplier<String> baseUrl;
    private final TaskStore tasks;
    private final ResultImageRenderer renderer = new ResultImageRenderer();
    private final Map<String, byte[]> rendered = new ConcurrentHashMap<>();

    ResultFiles(Supplier<String> baseUrl, TaskStore tasks) {
        this.baseUrl = baseUrl;
        this.tasks = tasks;
    }

    List<String> urlsOf(ImageTask task) {
        return IntStream.rangeClosed(1, task.request().nVariants())
                .mapToObj(variant -> baseUrl.get() + PATH_PREFIX + task.id() + "_" + variant + ".png")
                .toList();
    }

    /** The PNG for a file name, if it names a variant of a task that succeeded. */
    Optional<byte[]> png(String fileName, long now) {
        Matcher matcher = FILE_NAME.matcher(fileName);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int variant = Integer.parseInt(matcher.group(2));
        return tasks.find(matcher.group(1))
                .filter(task -> task.statusAt(now) == TaskStatus.SUCCESS)
                .filter(task -> variant >= 1 && variant <= task.request().nVariants())
                .map(task -> rendered.computeIfAbsent(fileName, name -> render(task, variant)));
    }

    private byte[] render(ImageTask task, int variant) {
        GenerateRequest request = task.request();
        return renderer.renderPng(request.prompt(), request.size(), variant, request.nVariants());
    }

    void clear() {
        rendered.clear();
    }
}
