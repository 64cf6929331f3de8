package dev.peregrine.bench;

import java.lang.management.ManagementFactory;

/**
 * The timed region of a run, from the source handing over its first record to the sink's end of
 * input, in wall-clock and process CPU time (every thread of the JVM: task threads, garbage
 * collector, JIT compiler), as Peregrine's process.cpuUsage counts. Local execution runs the job
 * in this JVM, so the source and the sink mark it here.
 */
public final class Timing {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static volatile long startNanos;
    private static volatile long startCpuNanos;
    private static volatile long endNanos;
    private static volatile long endCpuNanos;

    private Timing() {}

    static void reset() {
        startNanos = 0;
        endNanos = 0;
    }

    public static void start() {
        startCpuNanos = OS.getProcessCpuTime();
        startNanos = System.nanoTime();
    }

    public static void end() {
        endNanos = System.nanoTime();
        endCpuNanos = OS.getProcessCpuTime();
    }

    static double seconds() {
        check();
        return (endNanos - startNanos) / 1e9;
    }

    static double cpuSeconds() {
        check();
        return (endCpuNanos - startCpuNanos) / 1e9;
    }

    private static void check() {
        if (startNanos == 0 || endNanos == 0) throw new IllegalStateException("the job did not mark both ends of its timed region");
    }
}
