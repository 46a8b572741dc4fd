package io.github.gptimage.simulator;

import java.util.concurrent.atomic.AtomicLong;

/** The live counters behind {@link SimulatorStats}. */
final class CallCounters {

    final AtomicLong generateCalls = new AtomicLong();
    final AtomicLong infoCalls = new AtomicLong();
    final AtomicLong fileDownloads = new AtomicLong();
    final AtomicLong tasksCreated = new AtomicLong();
    final AtomicLong callbacksDelivered = new AtomicLong();
    final AtomicLong callbacksFailed = new AtomicLong();
    final AtomicLong callbacksAbandoned = new AtomicLong();

    AtomicLong callsOf(ApiCall call) {
        return switch (call) {
            case GENERATE -> generateCalls;
            case INFO -> infoCalls;
        };
    }

    SimulatorStats snapshot() {
        return new SimulatorStats(generateCalls.get(), infoCalls.get(), fileDownloads.get(), tasksCreated.get(),
                callbacksDelivered.get(), callbacksFailed.get(), callbacksAbandoned.get());
    }

    void reset() {
        generateCalls.set(0);
        infoCalls.set(0);
        fileDownloads.set(0);
        tasksCreated.set(0);
        callbacksDelivered.set(0);
        callbacksFailed.set(0);
        callbacksAbandoned.set(0);
    }
}
