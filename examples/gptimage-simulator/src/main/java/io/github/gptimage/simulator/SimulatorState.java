package io.github.gptimage.simulator;

/** Everything the endpoints of one simulator share: its tasks, scripts, counters, files and callbacks. */
record SimulatorState(TaskStore tasks, ScenarioScript script, CallCounters counters, InfoRateLimiter rateLimiter,
                      ResultFiles files, CallbackDispatcher callbacks) {

    /** Forgets all tasks (their pending callbacks and retries are dropped), scripts, counters and rendered files. */
    void reset() {
        tasks.clear();
        script.clear();
        counters.reset();
        rateLimiter.clear();
        files.clear();
        callbacks.reset();
    }
}
