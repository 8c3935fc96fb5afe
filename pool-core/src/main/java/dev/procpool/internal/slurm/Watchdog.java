package dev.procpool.internal.slurm;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small shell process that cancels what the pool started on the cluster once its stdin ends. Its stdin is a pipe
 * from this JVM, so it ends when the pool releases it and also when this JVM dies in any way (SIGKILL included):
 * the cleanup needs no live supervisor. It runs in a session of its own, so that a Ctrl-C to the supervisor's
 * terminal does not kill it before it has cancelled.
 */
final class Watchdog {
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final long RELEASE_SECONDS = 30;

    private final Process process;
    private final OutputStream lifeline;

    private Watchdog(Process process) {
        this.process = process;
        this.lifeline = process.getOutputStream();
    }

    /** {@code cleanup} is a shell script run after the end of stdin, with {@code args} as $1, $2, ... */
    static Watchdog start(String cleanup, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.addAll(List.of("/bin/sh", "-c", "cat >/dev/null; " + cleanup, "procpool-slurm-watchdog"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        SlurmCommands.stripJobEnvironment(builder.environment());
        builder.directory(new File(System.getProperty("java.io.tmpdir")));
        return new Watchdog(builder.start());
    }

    /** Runs the cleanup now and waits for it; true if it finished in time. */
    boolean release() {
        try {
            lifeline.close();
        } catch (IOException e) {
            // it died already: its cleanup has run
        }
        try {
            if (process.waitFor(RELEASE_SECONDS, TimeUnit.SECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        return false;
    }
}
