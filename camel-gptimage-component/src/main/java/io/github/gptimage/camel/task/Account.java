package io.github.gptimage.camel.task;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.gptimage.camel.api.GptImageClient;
import io.github.gptimage.camel.error.GptImageAuthenticationException;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One API account of a task service: a name that tasks store instead of the key, the key and base URL its calls use,
 * and whether its calls may be made now. After a refused key (401) it is DOWN: its polling stops, and one info call at
 * most every {@code recheckInterval} checks whether the key works again. After a {@code Retry-After} its calls pause.
 */
public final class Account {

    private static final Logger LOG = LoggerFactory.getLogger(Account.class);

    private final String name;
    private final String baseUrl;
    private final String apiKey;
    private final CloseableHttpAsyncClient givenHttpClient;
    private final Function<Connections, GptImageClient> clientFactory;
    private final Duration recheckInterval;
    private final Map<Connections, GptImageClient> clients = new ConcurrentHashMap<>();
    private final AccountHealth health;
    private final TaskMetrics metrics;
    private GptImageAuthenticationException refused;
    private Instant recheckAt;
    private Instant pausedUntil;
    // read on every submit: volatile, written once under the lock
    private volatile SubmitLimits limits;
    private String limitedBy;
    private volatile SubmitRate submitRate;

    Account(String name, String baseUrl, String apiKey, CloseableHttpAsyncClient givenHttpClient,
            Function<Connections, GptImageClient> clientFactory, Duration recheckInterval) {
        this(name, baseUrl, apiKey, givenHttpClient, clientFactory, recheckInterval, TaskMetrics.NONE);
    }

    /**
     * An account whose calls are recorded in its {@link #health()} and in {@code metrics}; a DOWN after 402, 455 or
     * 550 lapses after {@code recheckInterval} without another such answer.
     */
    Account(String name, String baseUrl, String apiKey, CloseableHttpAsyncClient givenHttpClient,
            Function<Connections, GptImageClient> clientFactory, Duration recheckInterval, TaskMetrics metrics) {
        this.name = name;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.givenHttpClient = givenHttpClient;
        this.clientFactory = clientFactory;
        this.recheckInterval = recheckInterval;
        this.health = new AccountHealth(recheckInterval);
        this.metrics = metrics;
    }

    /**
     * The name of an account that is not named explicitly: derived from a SHA-256 digest of base URL and key, so that
     * endpoints with different keys or base URLs are different accounts and the store never holds the key.
     */
    public static String derivedName(String baseUrl, String apiKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((baseUrl + "\n" + apiKey).getBytes(StandardCharsets.UTF_8));
            return "key-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** True when an endpoint with these settings makes its calls as this account. */
    boolean sameAs(String otherBaseUrl, String otherKey, CloseableHttpAsyncClient otherHttpClient) {
        return baseUrl.equals(otherBaseUrl) && apiKey.equals(otherKey) && givenHttpClient == otherHttpClient;
    }

    /**
     * The client of this account whose connections wait {@code connectTimeout} at most; its results are recorded in
     * the account's {@link #health()} and the metrics.
     */
    public GptImageClient client(Duration connectTimeout) {
        return client(connectTimeout, false);
    }

    /**
     * The client of the poller (info calls of tracked tasks, callback confirmations, downloads): its connections are
     * its own, so that submits waiting for a connection never hold up the polls.
     */
    GptImageClient pollClient(Duration connectTimeout) {
        return client(connectTimeout, true);
    }

    private GptImageClient client(Duration connectTimeout, boolean polls) {
        Connections use = new Connections(givenHttpClient != null ? Duration.ZERO : connectTimeout, polls);
        return clients.computeIfAbsent(use,
                key -> new ObservedClient(clientFactory.apply(key), name, health, metrics));
    }

    /** Cancels the poller's calls waiting for their answers (the component stops): they are free, and made again. */
    void cancelPollCalls() {
        clients.forEach((use, client) -> {
            if (use.polls()) {
                client.cancelCallsInFlight();
            }
        });
    }

    /** Which connections a client uses: its connect timeout, and whether they are the poller's. */
    record Connections(Duration connectTimeout, boolean polls) {
    }

    /** What the account's calls tell about its health: DOWN after 401, 402, 455 or 550, the last error. */
    public AccountHealth health() {
        return health;
    }

    /**
     * When the account's next call may be made, or null for now. A DOWN account lets one call through per re-check
     * interval: that call is the re-check.
     */
    synchronized Instant blockedUntil(Instant now) {
        if (pausedUntil != null && pausedUntil.isAfter(now)) {
            return pausedUntil;
        }
        if (refused == null) {
            return null;
        }
        if (recheckAt.isAfter(now)) {
            return recheckAt;
        }
        recheckAt = now.plus(recheckInterval);
        return null;
    }

    /** The service refused the key: DOWN until a call succeeds. True when this starts an outage. */
    synchronized boolean refuse(GptImageAuthenticationException error, Instant now) {
        boolean first = refused == null;
        refused = error;
        recheckAt = now.plus(recheckInterval);
        return first;
    }

    /** A call was answered: the key works. */
    void answered() {
        synchronized (this) {
            if (refused == null) {
                return;
            }
            refused = null;
            recheckAt = null;
        }
        LOG.info("The GPT image API accepts the key of account {} again: its polling resumes", name);
    }

    /** The service asked to wait ({@code Retry-After}): the account's calls pause until {@code until}. */
    public synchronized void pause(Instant until) {
        if (pausedUntil == null || until.isAfter(pausedUntil)) {
            pausedUntil = until;
        }
    }

    /** Until when the service asked this account to wait ({@code Retry-After}), or null when it may call now. */
    public synchronized Instant pausedUntil(Instant now) {
        return pausedUntil != null && pausedUntil.isAfter(now) ? pausedUntil : null;
    }

    /**
     * Declares the limits of the account's generates, as the generate endpoint {@code endpoint} (its URI as printed)
     * sets them: the first endpoint's limits hold for the account, and an endpoint declaring others fails, since a
     * budget or rate cannot be both.
     *
     * @throws IllegalArgumentException when another generate endpoint of the account declared other limits
     */
    public synchronized void limitSubmits(SubmitLimits wanted, String endpoint) {
        if (limits == null) {
            limitedBy = endpoint;
            submitRate = wanted.maxSubmitsPerSecond() > 0 ? new SubmitRate(wanted.maxSubmitsPerSecond()) : null;
            limits = wanted;
        } else if (!limits.equals(wanted)) {
            throw new IllegalArgumentException("creditBudget, creditBudgetPeriod and maxSubmitsPerSecond are"
                    + " account-wide: account " + name + " has " + limits + " from " + limitedBy + ", so " + endpoint
                    + " cannot have " + wanted + ". Set them once, on the component or alike on every generate"
                    + " endpoint of the account, or give the endpoint its own account");
        }
    }

    /** The credit budget of the account's generates, or null without one. */
    public CreditBudget budget() {
        SubmitLimits declared = limits;
        return declared != null ? declared.budget() : null;
    }

    /** The client-side submit rate of the account on this node, or null without a limit. */
    public SubmitRate submitRate() {
        return submitRate;
    }

    /** The refusal that made the account DOWN, or null while it is UP. */
    public synchronized GptImageAuthenticationException refused() {
        return refused;
    }

    /** When the next re-check of a DOWN account may be made, or null while it is UP. */
    synchronized Instant recheckAt() {
        return recheckAt;
    }

    @Override
    public String toString() {
        return "Account[" + name + " at " + baseUrl + "]";
    }

}
