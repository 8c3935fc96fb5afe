package dev.procpool.objects;

import java.util.concurrent.ThreadLocalRandom;

/** This JVM's token: its identity among the processes of its family (given by the parent; random in the root). */
public final class Self {
    private static volatile long token = ThreadLocalRandom.current().nextLong();
    private static volatile boolean root = true;

    private Self() {
    }

    public static long token() {
        return token;
    }

    /** True in a JVM that procpool did not start: the one that hosts the shared objects. */
    public static boolean isRoot() {
        return root;
    }

    /** Called once by a child's main, before any user code. */
    public static void child(long given) {
        token = given;
        root = false;
    }
}
