package dev.procpool.objects;

/**
 * The bounded spin of a taker before it parks in the root: a park and its hand-off cost a round trip over the
 * pipes (tens of microseconds), so a word that another process frees within a few microseconds is worth waiting
 * for here. Bounded in time, not in iterations (an iteration's cost varies tenfold between CPUs): at most
 * {@link #NANOS} (10 us; -Dprocpool.shm.spinNanos=N to change it), then the caller parks.
 */
final class Spin {
    static final long NANOS = Long.getLong("procpool.shm.spinNanos", 10_000);
    private int count;
    private long until;

    /** True while the caller may try again (after a pause); false once the time is up. */
    boolean again() {
        if ((count++ & 31) == 0) {
            long now = System.nanoTime();
            if (until == 0) {
                until = now + NANOS;
            } else if (now - until > 0) {
                return false;
            }
        }
        Thread.onSpinWait();
        return true;
    }
}
