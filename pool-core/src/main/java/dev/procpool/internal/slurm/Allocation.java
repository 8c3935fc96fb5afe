package dev.procpool.internal.slurm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Slurm job the workers run in: one the user gave (the pool's steps in it are cancelled at the end, never the
 * job), or one the pool requested with {@code salloc --no-shell} (cancelled at the end). Either way a
 * {@link Watchdog} does the cancelling, so it also happens when this JVM dies without a word.
 */
final class Allocation {
    /** salloc waits as long as the queue makes it; options such as --immediate bound it sooner. */
    private static final long SALLOC_SECONDS = 3600;
    private static final long QUERY_SECONDS = 30;
    private static final Pattern GRANTED = Pattern.compile("Granted job allocation (\\d+)");
    /**
     * $1 = the job name the pool gave its own allocation. A cancelled job stays in the queue as COMPLETING while its
     * nodes clean up, and Slurm has nothing to wait on for its end: the script polls squeue, for 10 s at most, so that
     * the pool's end (and close()) comes after the job has left the queue.
     */
    private static final String CANCEL_JOB = "user=$(id -un); scancel --name=\"$1\" --user=\"$user\" >/dev/null 2>&1;"
            + " i=0; while [ $i -lt 100 ] && squeue -h -n \"$1\" -u \"$user\" 2>/dev/null | grep -q .;"
            + " do sleep 0.1; i=$((i + 1)); done";
    /** $1 = the job, $2 = the name of the pool's steps: those steps, and nothing else of the user's job. */
    private static final String CANCEL_STEPS = "squeue -h -s -j \"$1\" -o '%i %j' 2>/dev/null | "
            + "while read -r id name; do [ \"$name\" = \"$2\" ] && scancel --signal=KILL \"$id\" >/dev/null 2>&1; done";

    final String jobId;
    final List<String> nodes;
    private final Watchdog watchdog;

    private Allocation(String jobId, List<String> nodes, Watchdog watchdog) {
        this.jobId = jobId;
        this.nodes = nodes;
        this.watchdog = watchdog;
    }

    /** @param name the name of the pool's job (when it requests one) and of its steps, unique to this pool */
    static Allocation open(SlurmSettings settings, String name) throws IOException {
        if (settings.jobId() != null) {
            List<String> nodes = nodesOf(settings.jobId());
            return new Allocation(settings.jobId(), nodes, Watchdog.start(CANCEL_STEPS, settings.jobId(), name));
        }
        // the watchdog first: salloc may be granted just as this JVM dies, and the job has our name by then
        Watchdog watchdog = Watchdog.start(CANCEL_JOB, name);
        try {
            List<String> command = new ArrayList<>(List.of("salloc", "--no-shell", "--job-name=" + name));
            command.addAll(settings.sallocArgs());
            String output = SlurmCommands.run(SALLOC_SECONDS, command.toArray(String[]::new));
            Matcher granted = GRANTED.matcher(output);
            if (!granted.find()) {
                throw new IOException("salloc granted no allocation: " + output);
            }
            String jobId = granted.group(1);
            return new Allocation(jobId, nodesOf(jobId), watchdog);
        } catch (IOException | RuntimeException e) {
            watchdog.release();
            throw e;
        }
    }

    private static List<String> nodesOf(String jobId) throws IOException {
        String nodeList = SlurmCommands.run(QUERY_SECONDS, "squeue", "-h", "-j", jobId, "-o", "%N");
        if (nodeList.isEmpty()) {
            throw new IOException("Slurm job " + jobId + " has no nodes (is it still pending?)");
        }
        return SlurmCommands.hostnames(nodeList);
    }

    /** Cancels the pool's job or steps and waits until that is done. */
    void release() {
        watchdog.release();
    }
}
