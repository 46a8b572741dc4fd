package io.github.gptimage.faults;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.gptimage.simulator.SimulatorStats;

/** The figures of one run of the fault suite, as the report shows them. */
record Figures(String name, String description, long completionTimeMillis, int orders, long tasksCreated,
               long ordersPaidTwice, int deadSubmits, Map<String, Integer> deadSubmitsByException, long generateCalls,
               long generateFaults, long infoCalls, long infoFaults, int infoMin, double infoMean, int infoMax,
               long infoUnknownIds, long completedTasks, long completionsRoute, long completionsDeadLetter,
               long exactlyOnce, long duplicated, long lost, SimulatorStats stats, Map<String, Integer> receiverVerdicts,
               int frontRefused, ForgedCallbacks.Result forged, ForgedCallbacks.Result forgedAfter,
               long infoCallsCausedByForgedAfter, List<java.time.Duration> retryAfterWaits, long submitsResolvedMillis,
               long answerToRouteMaxMillis, String submitFailureThreads, long completedAfterMillis, long runMillis) {

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("== ").append(name).append(": ").append(description).append("; task completion ")
                .append(completionTimeMillis).append(" ms\n");
        line(out, "orders submitted", orders + " (50 tasks wanted + " + (orders - 50)
                                      + " that a final generate fault dead-letters)");
        line(out, "tasks created (paid)", tasksCreated + "; orders paid twice: " + ordersPaidTwice);
        line(out, "submits dead-lettered", deadSubmits + " " + deadSubmitsByException
                                           + "; nothing created for any of them");
        line(out, "generate calls", generateCalls + " = " + tasksCreated + " tasks + " + generateFaults
                                    + " failed attempts that created nothing");
        line(out, "info calls", infoCalls + " (" + infoFaults + " scripted faults); per task min " + infoMin
                                + " / mean " + String.format(Locale.ROOT, "%.1f", infoMean) + " / max " + infoMax
                                + "; for unknown ids " + infoUnknownIds);
        line(out, "completions", completedTasks + " tasks: route " + completionsRoute + ", dead-letter "
                                 + completionsDeadLetter + "; exactly once " + exactlyOnce + "/" + tasksCreated
                                 + ", duplicated " + duplicated + ", lost " + lost);
        if (receiverVerdicts != null) {
            line(out, "callbacks (simulator)", stats.callbacksDelivered() + " delivered, " + stats.callbacksFailed()
                                               + " failed attempts (" + frontRefused + " refused 503 by the front,"
                                               + " then retried), " + stats.callbacksAbandoned() + " abandoned");
            line(out, "callbacks (receiver)", receiverVerdicts.toString());
        }
        if (forged != null) {
            line(out, "forged callbacks", forged.posted() + " posted while tasks were pending ("
                                          + forged.aimedAtPendingTasks() + " naming a pending task), "
                                          + forged.refused() + " refused 401 " + forged.statuses());
            line(out, "forged after completion", forgedAfter.posted() + " posted, " + forgedAfter.refused()
                                                 + " refused 401; info calls they caused: "
                                                 + infoCallsCausedByForgedAfter);
        }
        if (answerToRouteMaxMillis >= 0) {
            line(out, "answer to route", "an accepted task reached the submit route at most " + answerToRouteMaxMillis
                                         + " ms after the service answered");
        }
        line(out, "route failures seen on", submitFailureThreads);
        line(out, "429 Retry-After waited", retryAfterWaits.stream().map(d -> d.toMillis() + " ms").toList().toString());
        line(out, "duration", String.format(Locale.ROOT, "submits resolved in %.1f s, %.1f s to the last completion,"
                                                         + " %.1f s in all", submitsResolvedMillis / 1000.0,
                completedAfterMillis / 1000.0, runMillis / 1000.0));
        return out.toString();
    }

    /** One row of the summary table (Markdown). */
    String row() {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d = %d + %d | %d | %s | %d (%d / %.1f / %d) | %d"
                                          + " | %d + %d, %d exactly once, %d lost | %s | %.1f s |",
                name, tasksCreated, ordersPaidTwice, generateCalls, tasksCreated, generateFaults, deadSubmits,
                answerToRouteMaxMillis < 0 ? "-" : answerToRouteMaxMillis + " ms", infoCalls, infoMin, infoMean,
                infoMax, infoUnknownIds, completionsRoute, completionsDeadLetter, exactlyOnce, lost,
                forged == null ? "-" : forged.refused() + "/" + forged.posted() + ", info calls "
                                       + infoCallsCausedByForgedAfter,
                completedAfterMillis / 1000.0);
    }

    static String header() {
        return "| run | tasks (paid) | paid twice | generate calls = tasks + faults | submits dead-lettered"
               + " | answer to route, max | info calls (per task min / mean / max) | info calls, unknown ids"
               + " | completions route + DLC | forged callbacks refused 401 | to last completion |\n"
               + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "  %-26s %s%n", label, value));
    }
}
