package dev.procpool.worker;

import dev.procpool.protocol.Message;
import dev.procpool.protocol.Uplink;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Tells the parent this JVM still runs threads, even while a task runs or waits: a stopped JVM goes silent. */
final class Heartbeat {
    private Heartbeat() {
    }

    /**
     * Beats on the calling thread until the parent is gone: the worker's main thread, which has nothing else to do
     * once the serving threads run (a thread of its own would cost each worker its stack and its bookkeeping). An
     * interrupt does not stop it: a task that interrupts every thread it finds would silence a healthy worker, and
     * the supervisor would kill it as hung.
     */
    static void beat(Uplink uplink, long intervalMillis) {
        long period = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        long next = System.nanoTime() + period;
        Object timer = new Object();
        synchronized (timer) {
            while (true) {
                long left = next - System.nanoTime();
                if (left > 0) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(timer, left); // a period, not a condition: nothing notifies it
                    } catch (InterruptedException strayInterrupt) {
                        // the period goes on: neither a missed beat nor a flood of them
                    }
                    continue;
                }
                try {
                    uplink.signal(Message.Signal.HEARTBEAT, 0);
                } catch (IOException e) {
                    return; // the parent is gone; the reader ends this JVM
                }
                next = System.nanoTime() + period; // after a stop, one beat, not a burst of missed ones
            }
        }
    }
}
