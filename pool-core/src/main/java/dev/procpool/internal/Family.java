package dev.procpool.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The single child JVMs this JVM started and that still run. When this JVM shuts down (System.exit, SIGTERM, or
 * the end of its last non-daemon thread) every one of them is terminated, daemon or not, and killed if it is still
 * there after its grace period: no child outlives its parent.
 */
final class Family {
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final List<ChildJvm> ALIVE = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Family::endAll, "procpool-children-shutdown"));
    }

    private Family() {
    }

    static void joined(ChildJvm child) {
        ALIVE.add(child);
    }

    static void left(ChildJvm child) {
        ALIVE.remove(child);
    }

    static List<ChildJvm> alive() {
        return new ArrayList<>(ALIVE);
    }

    private static void endAll() {
        List<ChildJvm> children = alive();
        children.forEach(ChildJvm::terminate);
        long deadline = System.nanoTime() + GRACE_NANOS;
        for (ChildJvm child : children) {
            try {
                if (!child.awaitExit(Math.max(0, deadline - System.nanoTime()))) {
                    child.kill();
                }
            } catch (InterruptedException e) {
                child.kill();
            }
        }
    }
}
