package dev.procpool.shared;

import java.time.Duration;

/** A flag that processes wait for (Python's {@code multiprocessing.Event}). */
public interface SharedEvent {
    void set();

    void clear();

    boolean isSet();

    /** Waits until the flag is set. */
    void await() throws InterruptedException;

    /** As {@link #await()}; false if it was still not set after the timeout. */
    boolean await(Duration timeout) throws InterruptedException;
}
