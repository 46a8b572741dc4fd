package io.github.gptimage.simulator;

import java.util.Arrays;

/** Runs the simulator standalone until the process is stopped. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(CommandLine.USAGE);
            return;
        }
        GptImageSimulator simulator;
        try {
            simulator = CommandLine.parse(args).build();
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.err.println(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        simulator.start();
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::stop, "gptimage-simulator-shutdown"));
        System.out.println("GPT image simulator listening on " + simulator.baseUrl());
        System.out.println("  generate: POST " + simulator.generateUrl());
        System.out.println("  info:     POST " + simulator.baseUrl() + GptImageSimulator.INFO_PATH + "?taskId=...");
        System.out.println("  admin:    " + simulator.baseUrl() + "/__sim/{stats,tasks,script,reset}");
    }
}
