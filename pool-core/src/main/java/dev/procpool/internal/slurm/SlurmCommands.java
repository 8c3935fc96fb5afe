package dev.procpool.internal.slurm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs Slurm's short commands (squeue, scontrol, scancel, salloc) and gives their output. */
final class SlurmCommands {
    private SlurmCommands() {
    }

    /** Output (stdout and stderr together) of a command that must succeed within the timeout. */
    static String run(long timeoutSeconds, String... command) throws IOException {
        // output to a file, not a pipe: a pipe read would block past the timeout when the command hangs
        Path output = Files.createTempFile("procpool-slurm", ".out");
        try {
            ProcessBuilder builder = builder(command).redirectOutput(output.toFile());
            Process process = builder.start();
            try {
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IOException(String.join(" ", command) + " did not end within " + timeoutSeconds
                            + " s");
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException(String.join(" ", command) + " was interrupted", e);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
                        + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Starts a command and forgets it; the JDK reaps it. For cancellations that must not wait. */
    static void fireAndForget(String... command) {
        try {
            start(command);
        } catch (IOException e) {
            // nothing to do: the step ends with its srun anyway
        }
    }

    /** The host names of a Slurm node list expression such as {@code n[1-2],gpu7}. */
    static List<String> hostnames(String nodeList) throws IOException {
        List<String> names = new ArrayList<>(Arrays.asList(run(30, "scontrol", "show", "hostnames", nodeList)
                .split("\\s+")));
        names.removeIf(String::isEmpty);
        if (names.isEmpty()) {
            throw new IOException("no nodes in node list '" + nodeList + "'");
        }
        return names;
    }

    private static Process start(String... command) throws IOException {
        return builder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static ProcessBuilder builder(String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        stripJobEnvironment(builder.environment());
        return builder;
    }

    /**
     * srun and salloc take SLURM_* variables as defaults for their options. The supervisor may itself run inside a
     * job or step (sbatch, srun), whose variables (task counts, step ids) must not shape the pool's steps: every
     * option the pool means is on the command line. SLURM_CONF says where the cluster is, so it stays.
     */
    static void stripJobEnvironment(Map<String, String> environment) {
        environment.keySet().removeIf(key -> key.startsWith("SLURM_") && !key.equals("SLURM_CONF"));
    }
}
