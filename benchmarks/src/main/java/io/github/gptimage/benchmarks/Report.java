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

    Report(String scenario) {
        this.scenario = scenario;
        System.out.println();
        System.out.println("=== scenario " + scenario + " ===");
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
