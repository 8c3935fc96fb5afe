package dev.procpool.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory of a process as Linux reports it in /proc. */
public final class ProcMemory {
    private ProcMemory() {
    }

    /** VmRSS from /proc/PID/status, in KiB. */
    public static long rssKiB(long pid) {
        return field(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
    }

    /** Pss (resident, shared pages divided among their sharers) from /proc/PID/smaps_rollup, in KiB; -1 if absent. */
    public static long pssKiB(long pid) {
        Path rollup = Path.of("/proc", Long.toString(pid), "smaps_rollup");
        return Files.isReadable(rollup) ? field(rollup, "Pss:") : -1;
    }

    private static long field(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
            throw new IllegalStateException(name + " not in " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
