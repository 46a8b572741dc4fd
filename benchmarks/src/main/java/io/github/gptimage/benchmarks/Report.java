package io.github.gptimage.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures and target checks of one scenario, printed as they come. */
final class Report {

    /** One target: a figure compared with its bound. */
    record Check(String scenario, String name, double value, String unit, boolean atMost, double target,
                 boolean passed) {

        String line() {
            return String.format(Locale.ROOT, "%-4s %-10s %s = %s %s (target %s %s %s)", passed ? "PASS" : "FAIL",
                    scenario, name, number(value), unit, atMost ? "<=" : ">=", number(target), unit).trim();
        }
    }

    private final String scenario;
    private final List<Check> checks = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private final long startBusy = Jvm.machineBusyNanos();
    private final long startCpu = Jvm.processCpuNanos();

    Report(String scenario) {
        this.scenario = scenario;
        System.out.println();
        System.out.println("=== scenario " + scenario + " ===");
        figure("load average (1 min) at start", String.format(Locale.ROOT, "%.1f on %d cores", Jvm.loadAverage(),
                Runtime.getRuntime().availableProcessors()));
    }

    /**
     * How busy the machine was since the scenario started: this JVM, the server JVM ({@code serverCpu} nanoseconds,
     * or -1 without one) and the other processes of the machine (other engineers' builds), in cores.
     */
    void machineLoad(long serverCpuNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long busy = Jvm.machineBusyNanos();
        double ours = (Jvm.processCpuNanos() - startCpu) / 1e9 / seconds;
        if (busy < 0 || startBusy < 0) {
            figure("CPU used by this JVM", String.format(Locale.ROOT, "%.2f cores", ours));
            return;
        }
        double machine = (busy - startBusy) / 1e9 / seconds;
        double server = serverCpuNanos < 0 ? 0 : serverCpuNanos / 1e9 / seconds;
        figure("machine busy during the scenario", String.format(Locale.ROOT,
                "%.2f of %d cores: this JVM %.2f, server JVM %.2f, other processes %.2f; load average now %.1f",
                machine, Runtime.getRuntime().availableProcessors(), ours, server, Math.max(0, machine - ours - server),
                Jvm.loadAverage()));
    }

    String scenario() {
        return scenario;
    }

    /** A figure without a target. */
    void figure(String name, String value) {
        System.out.printf(Locale.ROOT, "  %-52s %s%n", name, value);
    }

    void figure(String name, double value, String unit) {
        figure(name, number(value) + (unit.isEmpty() ? "" : " " + unit));
    }

    void note(String text) {
        System.out.println("  " + text);
    }

    void atMost(String name, double value, String unit, double target) {
        add(new Check(scenario, name, value, unit, true, target, value <= target));
    }

    void atLeast(String name, double value, String unit, double target) {
        add(new Check(scenario, name, value, unit, false, target, value >= target));
    }

    /** A target that could not be measured at all (the scenario broke): always a FAIL. */
    void broken(String name, String why) {
        add(new Check(scenario, name + " (not measured: " + why + ")", Double.NaN, "", true, 0, false));
    }

    private void add(Check check) {
        checks.add(check);
        System.out.println("  " + check.line());
    }

    List<Check> checks() {
        return checks;
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double abs = Math.abs(value);
        if (abs >= 100 || value == Math.rint(value) && abs < 1e15) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (abs >= 0.1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }
}
