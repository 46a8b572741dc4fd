package io.github.gptimage.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/** What this JVM reports about itself: process CPU, per-thread CPU, threads and heap. */
final class Jvm {

    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private Jvm() {
    }

    /** CPU time of the whole process (all threads, GC and JIT included), in nanoseconds. */
    static long processCpuNanos() {
        return OS.getProcessCpuTime();
    }

    static int liveThreads() {
        return THREADS.getThreadCount();
    }

    /** Used heap after full collections, in bytes. */
    static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** CPU time per live thread whose name matches, by thread id, in nanoseconds. */
    static Map<Long, Long> threadCpu(Predicate<String> name) {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && name.test(info.getThreadName())) {
                long nanos = THREADS.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                }
            }
        }
        return cpu;
    }

    /** The CPU time the threads in {@code after} used since {@code before} (a thread new since counts from 0). */
    static long cpuSince(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> thread : after.entrySet()) {
            sum += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        return sum;
    }

    /**
     * CPU time the whole machine spent busy (every process), in nanoseconds, from {@code /proc/stat}; -1 where there
     * is none. Compared with this process's and the server's, it tells how much the other processes took.
     */
    static long machineBusyNanos() {
        try {
            String[] cpu = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim()
                    .split("\\s+");
            long busy = 0;
            // user nice system idle iowait irq softirq steal: all but idle and iowait, in USER_HZ (100) ticks
            for (int i = 1; i <= 8 && i < cpu.length; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(cpu[i]);
                }
            }
            return busy * 10_000_000L;
        } catch (Exception | Error e) {
            return -1;
        }
    }

    /** The 1-minute load average, as the OS reports it. */
    static double loadAverage() {
        return OS.getSystemLoadAverage();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
