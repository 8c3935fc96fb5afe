package dev.procpool.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Processes a test saw (workers, the children of tasks) that must all be gone at its end. Each is remembered with
 * its start time, so that a pid the system reused for another process is not mistaken for a survivor.
 */
public final class ProcessWatch {
    private record Watched(long pid, Optional<Instant> started, String what) {
    }

    private final List<Watched> watched = new ArrayList<>();

    /** Remembers a process that is alive now; one already gone is fine and needs no watching. */
    public synchronized void add(long pid, String what) {
        ProcessHandle.of(pid).ifPresent(handle -> watched.add(new Watched(pid, handle.info().startInstant(), what)));
    }

    /** Remembers a live process. */
    public synchronized void add(ProcessHandle handle, String what) {
        watched.add(new Watched(handle.pid(), handle.info().startInstant(), what));
    }

    /** The pids remembered so far. */
    public synchronized List<Long> pids() {
        return watched.stream().map(Watched::pid).toList();
    }

    /**
     * Remembers a process by pid and start time ({@link Children#startMillis}, taken where it was alive), for a
     * process that may be gone (and its pid reused) by the time the test learns of it.
     */
    public synchronized void add(long pid, long startMillis, String what) {
        watched.add(new Watched(pid, startMillis < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(startMillis)),
                what));
    }

    public synchronized int size() {
        return watched.size();
    }

    /**
     * Waits until every watched process has exited, within the timeout (measured from this call); otherwise kills
     * the survivors and fails with their list.
     */
    public void assertAllExit(Duration timeout) throws InterruptedException {
        List<Watched> all;
        synchronized (this) {
            all = new ArrayList<>(watched);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> survivors = new ArrayList<>();
        for (Watched process : all) {
            Optional<ProcessHandle> handle = ProcessHandle.of(process.pid());
            if (handle.isEmpty() || !sameProcess(handle.get(), process)) {
                continue;
            }
            long left = Math.max(1, deadline - System.nanoTime());
            try {
                handle.get().onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                String command = handle.get().info().commandLine().orElse("?");
                if (command.length() > 160) {
                    command = command.substring(0, 60) + " ... " + command.substring(command.length() - 80);
                }
                survivors.add(process.what() + " (pid " + process.pid() + ", " + command + ")");
                handle.get().destroyForcibly(); // reported, and not left behind for the next test
            } catch (ExecutionException e) {
                throw new AssertionError(e);
            }
        }
        if (!survivors.isEmpty()) {
            throw new AssertionError(survivors.size() + " process(es) still alive " + timeout + " later: " + survivors);
        }
    }

    private static boolean sameProcess(ProcessHandle handle, Watched process) {
        Optional<Instant> now = handle.info().startInstant().map(start -> Instant.ofEpochMilli(start.toEpochMilli()));
        Optional<Instant> then = process.started().map(start -> Instant.ofEpochMilli(start.toEpochMilli()));
        return then.isEmpty() || now.isEmpty() || now.equals(then);
    }
}
