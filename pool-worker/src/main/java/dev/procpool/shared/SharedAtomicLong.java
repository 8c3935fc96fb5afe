package dev.procpool.shared;

/** A long shared by the JVMs of one family (Python's {@code Value('q')}), with AtomicLong's names. */
public interface SharedAtomicLong {
    long get();

    void set(long value);

    long incrementAndGet();

    long decrementAndGet();

    long getAndIncrement();

    long addAndGet(long delta);

    long getAndAdd(long delta);

    boolean compareAndSet(long expect, long update);
}
