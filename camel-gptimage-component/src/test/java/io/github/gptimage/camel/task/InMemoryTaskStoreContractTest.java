package io.github.gptimage.camel.task;

/** {@link InMemoryTaskStore} passes the task store contract. */
class InMemoryTaskStoreContractTest extends TaskStoreContractTest {

    @Override
    protected GptImageTaskStore newStore() {
        return new InMemoryTaskStore();
    }
}
