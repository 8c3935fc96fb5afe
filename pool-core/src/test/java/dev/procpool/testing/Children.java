package dev.procpool.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;

/** Inside a task: child processes that must not outlive the worker that started them. */
public final class Children {
    private Children() {
    }

    /**
     * Starts {@code sleep 1000} as a child of this worker and returns its pid. Its output goes to /dev/null, so it
     * holds no pipe of the worker open.
     */
    public static long startSleep() throws IOException {
        return new ProcessBuilder("sleep", "1000")
                .redirectOutput(Redirect.DISCARD)
                .redirectError(Redirect.DISCARD)
                .start()
                .pid();
    }

    /**
     * Starts {@code sleep 1000} through a shell that exits at once: the sleep is re-parented to init, so it is no
     * longer a descendant of the worker, but it keeps the worker's process group. Returns its pid.
     */
    public static long startOrphanedSleep() throws IOException, InterruptedException {
        Process shell = new ProcessBuilder("sh", "-c", "sleep 1000 </dev/null >/dev/null 2>&1 & echo $!")
                .redirectError(Redirect.DISCARD)
                .start();
        String pid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(shell.getInputStream(),
                StandardCharsets.UTF_8))) {
            pid = out.readLine();
        }
        shell.waitFor();
        return Long.parseLong(pid.trim());
    }

    /** Start time of a live process in epoch milliseconds, -1 when unknown or gone (see {@link ProcessWatch}). */
    public static long startMillis(long pid) {
        return ProcessHandle.of(pid).flatMap(handle -> handle.info().startInstant()).map(start -> start.toEpochMilli())
                .orElse(-1L);
    }
}
