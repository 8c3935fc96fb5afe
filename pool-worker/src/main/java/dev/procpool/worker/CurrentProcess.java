package dev.procpool.worker;

import java.util.OptionalLong;

/** Python's {@code multiprocessing.current_process()}: facts about the JVM this code runs in. */
public final class CurrentProcess {
    private static volatile String name = "MainProcess";
    private static volatile long parentPid = -1;
    private static volatile boolean daemon;

    private CurrentProcess() {
    }

    /**
     * "MainProcess" in a JVM not started by procpool; the JvmProcess's name in one; "PoolWorker-&lt;slot&gt;" in a
     * pool worker.
     */
    public static String name() {
        return name;
    }

    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /** The JVM that started this one, whatever launch wrapper stands between; empty in the root JVM. */
    public static OptionalLong parentPid() {
        long parent = parentPid;
        return parent < 0 ? OptionalLong.empty() : OptionalLong.of(parent);
    }

    /** Whether this JVM is a daemon JvmProcess (which may not start children of its own). */
    public static boolean isDaemon() {
        return daemon;
    }

    static void install(String processName, long parent, boolean isDaemon) {
        name = processName;
        parentPid = parent;
        daemon = isDaemon;
    }
}
