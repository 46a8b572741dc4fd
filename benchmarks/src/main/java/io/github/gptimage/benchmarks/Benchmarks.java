package io.github.gptimage.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmark scenarios ({@code --scenario=submit|waits|idle-tick|progress|pg-store|all}, default all), each printing
 * its figures and a PASS/FAIL per target, then a summary. Exit code 0 when every target passed, 1 otherwise.
 */
public final class Benchmarks {

    /** A scenario: runs with the arguments and returns its report. */
    interface Scenario {
        Report run(Args args) throws Exception;
    }

    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("submit", SubmitScenario::run);
        SCENARIOS.put("waits", WaitsScenario::run);
        SCENARIOS.put("idle-tick", IdleTickScenario::run);
        SCENARIOS.put("progress", ProgressScenario::run);
        SCENARIOS.put("pg-store", PostgresStoreScenario::run);
    }

    private Benchmarks() {
    }

    public static void main(String[] argv) {
        Args args = Args.parse(argv);
        String selected = args.get("scenario", "all");
        List<String> names = selected.equals("all") ? List.copyOf(SCENARIOS.keySet()) : List.of(selected.split(","));
        for (String name : names) {
            if (!SCENARIOS.containsKey(name)) {
                System.err.println("Unknown scenario " + name + "; scenarios: " + String.join(", ", SCENARIOS.keySet())
                                   + ", all");
                System.exit(2);
            }
        }
        LogCounter.get();
        printMachine(args);
        List<Report.Check> checks = new ArrayList<>();
        for (String name : names) {
            long start = System.nanoTime();
            try {
                Report report = SCENARIOS.get(name).run(args);
                checks.addAll(report.checks());
            } catch (Exception | AssertionError e) {
                System.out.println("  scenario " + name + " broke: " + e);
                e.printStackTrace(System.out);
                Report broken = new Report(name + " (broken)");
                broken.broken(name, e.toString());
                checks.addAll(broken.checks());
            }
            System.out.printf("  (scenario %s took %.0f s)%n", name, (System.nanoTime() - start) / 1e9);
        }
        System.out.println();
        System.out.println("=== summary ===");
        checks.forEach(check -> System.out.println(check.line()));
        long failed = checks.stream().filter(check -> !check.passed()).count();
        System.out.println((checks.size() - failed) + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    private static void printMachine(Args args) {
        Runtime runtime = Runtime.getRuntime();
        System.out.println("gptimage benchmarks " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        System.out.println("  machine: " + runtime.availableProcessors() + " cores, "
                           + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                           + ManagementFactory.getOperatingSystemMXBean().getName());
        System.out.println("  JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                           + ", max heap " + runtime.maxMemory() / (1024 * 1024) + " MiB, GC "
                           + ManagementFactory.getGarbageCollectorMXBeans().stream()
                                   .map(gc -> gc.getName()).toList());
        System.out.println("  arguments: " + args);
    }
}
