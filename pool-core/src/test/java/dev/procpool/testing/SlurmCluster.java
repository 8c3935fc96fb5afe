package dev.procpool.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The two-node Slurm of shared/slurm (nodes n1 and n2 on this machine) for the {@code *Slurm*Test}s: started by
 * {@link #ensureUp()} when it is not running (as root, with shared/slurm/slurm-up.sh beside the repository, as on CI),
 * and stopped again by {@link #stopIfStartedHere()}. The tests are skipped, with the reason, only where Slurm cannot
 * be installed; a Slurm that is installed but does not come up fails them.
 */
public final class SlurmCluster {
    public static final List<String> NODES = List.of("n1", "n2");
    private static final long UP_SECONDS = 300; // a first install downloads packages
    private static boolean startedHere;

    private SlurmCluster() {
    }

    public static synchronized void ensureUp() throws IOException, InterruptedException {
        if (nodesUp()) {
            return;
        }
        Path up = script("slurm-up.sh");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (up == null || !root) {
            Assumptions.assumeTrue(installed(), "Slurm is not installed and cannot be installed here ("
                    + (up == null ? "no shared/slurm/slurm-up.sh beside the repository" : "not root") + ")");
            fail("Slurm is installed but its two nodes n1, n2 are not up, and this test cannot start them ("
                    + (up == null ? "no shared/slurm/slurm-up.sh" : "not root") + ")");
        }
        Result result = run(UP_SECONDS, "bash", up.toString());
        Assumptions.assumeTrue(installed(), "Slurm cannot be installed here: " + result.output());
        if (result.exit() != 0 || !nodesUp()) {
            fail(up + " did not bring up n1 and n2 (exit " + result.exit() + "): " + result.output());
        }
        startedHere = true;
    }

    public static synchronized void stopIfStartedHere() throws IOException, InterruptedException {
        Path down = script("slurm-down.sh");
        if (startedHere && down != null) {
            run(60, "bash", down.toString());
            startedHere = false;
        }
    }

    /** Requests an allocation of both nodes for a test class; its job id. */
    public static String allocate(String name) throws IOException, InterruptedException {
        Result result = run(120, "salloc", "--no-shell", "-N2", "--immediate=100", "--job-name=" + name);
        String out = result.output();
        int at = out.indexOf("Granted job allocation ");
        if (result.exit() != 0 || at < 0) {
            fail("salloc failed (exit " + result.exit() + "): " + out);
        }
        return out.substring(at + "Granted job allocation ".length()).split("\\s+")[0];
    }

    public static void cancel(String job) throws IOException, InterruptedException {
        run(60, "scancel", job);
    }

    /** Every job, one line each ("id name state"), as squeue shows them. */
    public static List<String> jobs() throws IOException, InterruptedException {
        return lines(run(60, "squeue", "-h", "-o", "%i %j %T").output());
    }

    /** Every job step, one line each ("job.step name node"). */
    public static List<String> steps() throws IOException, InterruptedException {
        return lines(run(60, "squeue", "-h", "-s", "-o", "%i %j %N").output());
    }

    /** The node a process of this machine runs on as a Slurm task (its SLURMD_NODENAME), or "?" . */
    public static String nodeOf(long pid) throws IOException {
        byte[] environment = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        for (String variable : new String(environment, StandardCharsets.UTF_8).split("\0")) {
            if (variable.startsWith("SLURMD_NODENAME=")) {
                return variable.substring("SLURMD_NODENAME=".length());
            }
        }
        return "?";
    }

    private static List<String> lines(String output) {
        List<String> lines = new ArrayList<>(Arrays.asList(output.split("\n")));
        lines.removeIf(String::isBlank);
        return lines;
    }

    private static boolean nodesUp() throws InterruptedException {
        try {
            Result sinfo = run(30, "sinfo", "-h", "-N", "-o", "%N %T");
            return sinfo.exit() == 0 && NODES.stream().allMatch(node -> sinfo.output().lines()
                    .anyMatch(line -> line.startsWith(node + " ") && !line.contains("down")
                            && !line.contains("drain") && !line.contains("*")));
        } catch (IOException e) {
            return false; // not installed
        }
    }

    private static boolean installed() {
        return Files.isExecutable(Path.of("/usr/sbin/slurmctld")) && Files.isExecutable(Path.of("/usr/bin/srun"));
    }

    /** shared/slurm/NAME beside the repository (CI: a clean clone with shared/ beside it), or null. */
    private static Path script(String name) {
        String configured = System.getProperty("procpool.slurm.dir");
        if (configured != null) {
            return Files.isRegularFile(Path.of(configured, name)) ? Path.of(configured, name) : null;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("slurm").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    public record Result(int exit, String output) {
    }

    public static Result run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("procpool-slurm-test", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                            "/dev/null"))).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not end within " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), Files.readString(output).trim());
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
