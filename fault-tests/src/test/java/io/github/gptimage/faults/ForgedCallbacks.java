package io.github.gptimage.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Posts forged callbacks straight to the component's receiver (not through the front), as an attacker who found the
 * callback path would: each one names a task and carries a token, and none carries the token the component sent
 * with that task. Kinds: an unknown task with a random token; a real task with a random token; a real task with the
 * token of another real task (tokens are visible to whoever sees another task's callback URL). Half claim success
 * with a forged image URL, half claim a failure. Every one must be refused with 401.
 */
final class ForgedCallbacks {

    static final String FORGED_URL_PREFIX = "https://forged.example.com/";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IN_FLIGHT = 32;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String receiverPrefix;

    /** @param receiverPrefix the receiver's callback URL without the token, ending in {@code /} */
    ForgedCallbacks(String receiverPrefix) {
        this.receiverPrefix = receiverPrefix;
    }

    /** What a flood got back. */
    record Result(int posted, Map<Integer, Integer> statuses, int aimedAtPendingTasks) {
        int refused() {
            return statuses.getOrDefault(401, 0);
        }
    }

    /**
     * Posts {@code count} forged callbacks: a fifth for unknown tasks, the rest for the real tasks of {@code tokens}
     * (task id to the token the component sent with it), half with a random token and half with another task's token.
     *
     * @param pending tells whether a task is still pending when its forgery is posted (for the report)
     */
    Result flood(int count, Map<String, String> tokens, Predicate<String> pending) throws Exception {
        List<String> taskIds = new ArrayList<>(tokens.keySet());
        if (taskIds.size() < 2) {
            throw new IllegalArgumentException("a flood needs at least two real tasks");
        }
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger aimedAtPending = new AtomicInteger();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<?>> posts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String taskId;
            String token;
            if (i % 5 == 0) {
                taskId = randomHex(16);
                token = randomHex(24);
            } else {
                taskId = taskIds.get(i % taskIds.size());
                token = i % 2 == 0 ? randomHex(24) : tokens.get(taskIds.get((i + 1) % taskIds.size()));
                if (pending.test(taskId)) {
                    aimedAtPending.incrementAndGet();
                }
            }
            String body = i % 3 == 0 ? failure(taskId) : success(taskId);
            inFlight.acquire();
            posts.add(http.sendAsync(HttpRequest.newBuilder(URI.create(receiverPrefix + token))
                                    .timeout(Duration.ofSeconds(10))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        inFlight.release();
                        int status = error != null ? -1 : response.statusCode();
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }));
        }
        CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        Map<Integer, Integer> counted = new TreeMap<>();
        statuses.forEach((status, n) -> counted.put(status, n.get()));
        return new Result(count, counted, aimedAtPending.get());
    }

    static String success(String taskId) {
        return "{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"" + taskId
               + "\",\"info\":{\"result_urls\":[\"" + FORGED_URL_PREFIX + taskId + ".png\"]}}}";
    }

    static String failure(String taskId) {
        return "{\"code\":400,\"msg\":\"forged failure\",\"data\":{\"taskId\":\"" + taskId + "\",\"info\":null}}";
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
