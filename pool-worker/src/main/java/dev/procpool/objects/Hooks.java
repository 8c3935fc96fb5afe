package dev.procpool.objects;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only fault: with -Dprocpool.test.haltAfterCas=N this JVM halts (no shutdown, as SIGKILL) right after its
 * N-th compare-and-set or swap on a lock or semaphore word, before its next step: the worst moment for the
 * give-back rules. Without the property the check is one read of a static final constant.
 */
final class Hooks {
    private static final int HALT_AFTER = Integer.getInteger("procpool.test.haltAfterCas", 0);
    private static final AtomicInteger CHANGES = new AtomicInteger();

    private Hooks() {
    }

    static void changed() {
        if (HALT_AFTER > 0 && CHANGES.incrementAndGet() == HALT_AFTER) {
            Runtime.getRuntime().halt(70);
        }
    }
}
