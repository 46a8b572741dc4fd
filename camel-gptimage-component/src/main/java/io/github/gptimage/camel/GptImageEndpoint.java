package io.github.gptimage.camel;

import java.time.Duration;

import io.github.gptimage.camel.api.GptImageClient;
import io.github.gptimage.camel.task.Account;
import io.github.gptimage.camel.task.GptImageTaskService;
import io.github.gptimage.camel.task.PollSchedule;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollEndpoint;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generate and edit images with the GPT-4o image API.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "gptimage", title = "GPT Image", syntax = "gptimage:operation",
             category = { Category.AI }, headersClass = GptImageConstants.class)
public class GptImageEndpoint extends ScheduledPollEndpoint implements EndpointServiceLocation {

    private static final Logger LOG = LoggerFactory.getLogger(GptImageEndpoint.class);

    @UriPath(description = "The operation: generate and info (producers) or tasks (consumer of completed tasks)")
    @Metadata(required = true)
    private GptImageOperation operation;

    @UriParam
    private GptImageConfiguration configuration;

    private GptImageTaskService taskService;
    private Account account;
    private GptImageClient client;

    public GptImageEndpoint(String uri, GptImageComponent component, GptImageOperation operation,
                            GptImageConfiguration configuration) {
        super(uri, component);
        this.operation = operation;
        this.configuration = configuration;
    }

    @Override
    public GptImageComponent getComponent() {
        return (GptImageComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() throws Exception {
        return switch (operation) {
            case generate -> new GptImageGenerateProducer(this);
            case info -> new GptImageInfoProducer(this);
            case tasks -> throw new IllegalArgumentException(
                    "gptimage:tasks is a consumer: use it in from(), and gptimage:generate or gptimage:info in to()");
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (operation != GptImageOperation.tasks) {
            throw new IllegalArgumentException(
                    "gptimage:" + operation + " is a producer: use it in to(), and from(\"gptimage:tasks\") to"
                                               + " receive completed tasks");
        }
        GptImageTasksConsumer consumer = new GptImageTasksConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        warnIfBelowPollFloor("pollInitialDelay", configuration.getPollInitialDelay());
        warnIfBelowPollFloor("pollMaxInterval", configuration.getPollMaxInterval());
    }

    /**
     * Starts the task service of this endpoint's store and registers the endpoint's account with it; called when its
     * producer or consumer starts, so that the service (and its callback receiver) starts once the context's HTTP
     * server is there.
     */
    synchronized void startTaskService() throws Exception {
        if (taskService != null) {
            return;
        }
        GptImageTaskService service = getComponent().taskService(configuration.getTaskStore());
        ServiceHelper.startService(service);
        String name = configuration.getAccount() != null ? configuration.getAccount()
                : Account.derivedName(configuration.getBaseUrl(), configuration.getApiKey());
        account = service.account(name, configuration.getBaseUrl(), configuration.getApiKey(),
                configuration.getHttpClient());
        client = account.client(Duration.ofMillis(configuration.getConnectTimeout()));
        taskService = service;
    }

    private void warnIfBelowPollFloor(String option, long millis) {
        if (PollSchedule.belowFloor(Duration.ofMillis(millis))) {
            LOG.warn("{}={} ms is raised to {} ms: the API allows 3 info calls a second per task", option, millis,
                    PollSchedule.MIN_INTERVAL.toMillis());
        }
    }

    @Override
    protected synchronized void doStop() throws Exception {
        client = null;
        account = null;
        taskService = null;
        super.doStop();
    }

    /** The service of this endpoint's task store. */
    GptImageTaskService getTaskService() {
        return taskService;
    }

    /** The account this endpoint's calls and tasks belong to. */
    Account getAccount() {
        return account;
    }

    /** The poll schedule of the tasks this endpoint submits, with its call timeouts. */
    PollSchedule pollSchedule() {
        return new PollSchedule(Duration.ofMillis(configuration.getPollInitialDelay()),
                                Duration.ofMillis(configuration.getPollMaxInterval()),
                                getComponent().getCallbackBaseUrl() != null,
                                Duration.ofMillis(configuration.getRequestTimeout()),
                                Duration.ofMillis(configuration.getConnectTimeout()));
    }

    /** How long this endpoint's free calls (info, downloads) wait for an answer. */
    Duration requestTimeout() {
        return Duration.ofMillis(configuration.getRequestTimeout());
    }

    /** How long this endpoint's generate calls wait for an answer. */
    Duration submitTimeout() {
        return Duration.ofMillis(configuration.getSubmitTimeout());
    }

    @Override
    public String getServiceUrl() {
        return configuration.getBaseUrl();
    }

    @Override
    public String getServiceProtocol() {
        return "http";
    }

    GptImageClient getClient() {
        return client;
    }

    public GptImageOperation getOperation() {
        return operation;
    }

    public void setOperation(GptImageOperation operation) {
        this.operation = operation;
    }

    public GptImageConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(GptImageConfiguration configuration) {
        this.configuration = configuration;
    }
}
