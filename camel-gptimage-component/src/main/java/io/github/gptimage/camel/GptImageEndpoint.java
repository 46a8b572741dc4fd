package io.github.gptimage.camel;

import io.github.gptimage.camel.api.GptImageClient;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Generate and edit images with the GPT-4o image API.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "gptimage", title = "GPT Image", syntax = "gptimage:operation",
             category = { Category.AI }, headersClass = GptImageConstants.class)
public class GptImageEndpoint extends DefaultEndpoint implements EndpointServiceLocation {

    @UriPath(description = "The operation: generate and info (producers) or tasks (consumer of completed tasks)")
    @Metadata(required = true)
    private GptImageOperation operation;

    @UriParam
    private GptImageConfiguration configuration;

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
        throw new IllegalArgumentException(
                "gptimage:" + operation + " cannot consume: the completed-tasks consumer gptimage:tasks is not"
                                           + " available in this version");
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        client = getComponent().createClient(configuration);
    }

    @Override
    protected void doStop() throws Exception {
        client = null;
        super.doStop();
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
