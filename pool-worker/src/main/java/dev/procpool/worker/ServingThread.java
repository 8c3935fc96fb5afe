package dev.procpool.worker;

/**
 * A thread that serves the protocol: it runs tasks and, in turn, reads the worker's input. A task may leave
 * something behind that interrupts "its" thread later (a watchdog, a scheduled interrupt as a timeout); an interrupt
 * that arrives while the thread reads was meant for a task that has ended, and is dropped, so that it cannot hit the
 * next task this thread runs.
 */
final class ServingThread extends Thread {
    private final Object guard = new Object();
    private boolean reading; // guarded by guard

    ServingThread(Runnable body, String name) {
        super(body, name);
    }

    @Override
    public void interrupt() {
        synchronized (guard) {
            if (reading) {
                return;
            }
            super.interrupt();
        }
    }

    /** Called by this thread before it reads: from now on no interrupt reaches it; one that came before is dropped. */
    void startReading() {
        synchronized (guard) {
            reading = true;
            Thread.interrupted();
        }
    }

    /** Called by this thread once it has read: interrupts reach it again (a task may run on it next). */
    void stopReading() {
        synchronized (guard) {
            reading = false;
        }
    }
}
