package dev.procpool.worker;

import dev.procpool.protocol.Message;
import dev.procpool.protocol.Uplink;
import java.io.IOException;

/** Tells the parent this JVM still runs threads, even while a task runs or waits: a stopped JVM goes silent. */
final class Heartbeat {
    private Heartbeat() {
    }

    /**
     * Beats on the calling thread until the parent is gone: the worker's main thread, which has nothing else to do
     * once the serving threads run (a thread of its own would cost each worker its stack and its bookkeeping).
     */
    static void beat(Uplink uplink, long intervalMillis) {
        Object timer = new Object();
        synchronized (timer) {
            while (true) {
                try {
                    timer.wait(intervalMillis); // a period, not a condition: nothing notifies it
                    uplink.signal(Message.Signal.HEARTBEAT, 0);
                } catch (InterruptedException | IOException e) {
                    return; // the parent is gone; the reader ends this JVM
                }
            }
        }
    }
}
