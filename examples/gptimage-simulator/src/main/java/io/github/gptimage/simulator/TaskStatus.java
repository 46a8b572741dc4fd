package io.github.gptimage.simulator;

/** The task states of the service and the successFlag each one reports. */
public enum TaskStatus {
    GENERATING(0),
    SUCCESS(1),
    GENERATE_FAILED(2);

    private final int successFlag;

    TaskStatus(int successFlag) {
        this.successFlag = successFlag;
    }

    public int successFlag() {
        return successFlag;
    }
}
