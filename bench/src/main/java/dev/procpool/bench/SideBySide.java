package dev.procpool.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.procpool.PoolStats;
import dev.procpool.ProcessPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The procpool side of bench/compare.sh: each Python anchor of ../shared/anchors/python-pool mirrored with the same
 * task, sizes, worker count (2) and warm-up/measure structure, printing one JSON line per measurement as the
 * anchors do ({@code "name": "procpool...."} where they print {@code "pool_fork...."}).
 *
 * <p>Each anchor gets a fresh pool, as each Python script run does. Where a measured call can be repeated on the same
 * pool it is timed four times: the first run is emitted with the suffix {@code .cold} (worker JVMs not yet
 * JIT-compiled), the next three under the anchor's own name; compare.sh's table shows the median of those.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.procpool.bench.SideBySide [--reps N] [--only a,b] [--mtpc 1,10,100,None] [--n 1000]</pre>
 * Anchors: apply_latency, map_throughput, recycle_pool, cpu_scaling, payload, idle_memory. {@code --mtpc} and
 * {@code --n} are recycle_pool.py's options.
 */
public final class SideBySide {
    private static final int WORKERS = 2;
    /** The first timed run on a fresh pool (".cold"), then three more (the anchor's own name). */
    private static final String[] PHASES = {".cold", "", "", ""};

    private int recycleTasks = 1000;
    private List<Integer> recycleMtpc = Arrays.asList(1, 10, 100, null);
    private int rep;

    public static void main(String[] args) {
        SideBySide bench = new SideBySide();
        int reps = 1;
        List<String> only = List.of("apply_latency", "map_throughput", "recycle_pool", "cpu_scaling", "payload",
                "idle_memory");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--only" -> only = Arrays.asList(args[++i].split(","));
                case "--n" -> bench.recycleTasks = Integer.parseInt(args[++i]);
                case "--mtpc" -> bench.recycleMtpc = Arrays.stream(args[++i].split(","))
                        .map(m -> "None".equals(m) ? null : Integer.valueOf(m)).toList();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: SideBySide [--reps N] [--only anchor,...] [--mtpc 1,10,100,None] [--n 1000]");
            }
        }
        boolean allOk = true;
        for (int r = 1; r <= reps; r++) {
            bench.rep = r;
            for (String anchor : only) {
                allOk &= bench.run(anchor);
            }
        }
        System.exit(allOk ? 0 : 1);
    }

    private boolean run(String anchor) {
        long t = System.nanoTime();
        try {
            switch (anchor) {
                case "apply_latency" -> applyLatency();
                case "map_throughput" -> mapThroughput();
                case "recycle_pool" -> recyclePool();
                case "startup" -> startup();
                case "cpu_scaling" -> cpuScaling();
                case "payload" -> payload();
                case "idle_memory" -> idleMemory();
                default -> throw new IllegalArgumentException("unknown anchor " + anchor);
            }
            System.err.printf("[SideBySide] rep %d %s: %.1f s%n", rep, anchor, (System.nanoTime() - t) / 1e9);
            return true;
        } catch (RuntimeException | AssertionError e) {
            emit("procpool." + anchor + ".error", Json.obj().put("error", e.toString()));
            e.printStackTrace();
            return false;
        }
    }

    /** apply_latency.py: 200 warm-up applies, 5,000 timed applies, then 20,000 applyAsync and get all. */
    private void applyLatency() {
        int nLatency = 5_000;
        int nThroughput = 20_000;
        try (ProcessPool pool = Pools.create(WORKERS)) {
            for (int i = 0; i < 200; i++) {
                pool.apply(Tasks.SQUARE, i);
            }
            for (String phase : PHASES) {
                long[] ns = new long[nLatency];
                for (int i = 0; i < nLatency; i++) {
                    long t = System.nanoTime();
                    int r = pool.apply(Tasks.SQUARE, i);
                    ns[i] = System.nanoTime() - t;
                    check(r == i * i, "apply result");
                }
                emit("procpool.apply.latency" + phase, Stats.latency(ns));

                long t = System.nanoTime();
                List<CompletableFuture<Integer>> futures = new ArrayList<>(nThroughput);
                for (int i = 0; i < nThroughput; i++) {
                    futures.add(pool.applyAsync(Tasks.SQUARE, i));
                }
                long submitted = System.nanoTime();
                int last = 0;
                for (CompletableFuture<Integer> future : futures) {
                    last = future.join();
                }
                double dt = seconds(t);
                check(last == (nThroughput - 1) * (nThroughput - 1), "applyAsync result");
                emit("procpool.apply_async.throughput" + phase, Json.obj().put("n", nThroughput).put("seconds", dt)
                        .put("submit_seconds", (submitted - t) / 1e9).put("tasks_per_s", nThroughput / dt));
            }
        }
    }

    /** map_throughput.py: start to first result, map over 1M with the default chunksize, map over 20k chunksize 1. */
    private void mapThroughput() {
        long t0 = System.nanoTime();
        try (ProcessPool pool = Pools.create(WORKERS)) {
            pool.map(Tasks.SQUARE, Range.of(4), 1);
            double startup = seconds(t0); // before Json.obj(): the first JSON object of a JVM loads Jackson
            emit("procpool.startup_to_first_result", Json.obj().put("seconds", startup));
            for (String phase : PHASES) {
                int n = 1_000_000;
                long t = System.nanoTime();
                List<Integer> r = pool.map(Tasks.SQUARE, Range.of(n));
                double dt = seconds(t);
                check(r.size() == n && r.get(n - 1) == (n - 1) * (n - 1), "map result");
                emit("procpool.map.default_chunksize" + phase, Json.obj().put("n", n)
                        .put("chunksize", "default(" + Pools.defaultChunksize(n, WORKERS) + ")")
                        .put("seconds", dt).put("items_per_s", n / dt));

                n = 20_000;
                t = System.nanoTime();
                r = pool.map(Tasks.SQUARE, Range.of(n), 1);
                dt = seconds(t);
                check(r.size() == n && r.get(n - 1) == (n - 1) * (n - 1), "map result");
                emit("procpool.map.chunksize1" + phase, Json.obj().put("n", n).put("chunksize", 1)
                        .put("seconds", dt).put("items_per_s", n / dt));
            }
        }
    }

    /** The program's first pool, in a fresh JVM: build to the first result of a map (run as its own process). */
    private void startup() {
        long t0 = System.nanoTime();
        try (ProcessPool pool = Pools.create(WORKERS)) {
            check(pool.map(Tasks.SQUARE, Range.of(4), 1).size() == 4, "first result");
            double startup = seconds(t0); // before Json.obj(): the first JSON object of a JVM loads Jackson
            emit("procpool.first_pool_to_first_result", Json.obj().put("seconds", startup));
        }
    }

    /** CPU time of this JVM's reaped children (its workers once closed), ms; NaN where /proc is missing. */
    private static double childrenCpuMillis() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10.0; // cutime, cstime at 100 ticks/s
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** recycle_pool.py: for maxTasksPerChild 1, 10, 100, unlimited: warm, then time map(getpid, range(n), 1). */
    private void recyclePool() {
        for (Integer mtpc : recycleMtpc) {
            int n = recycleTasks;
            long t0 = System.nanoTime();
            double cpu0 = childrenCpuMillis();
            ProcessPool.Builder builder = Pools.builder(WORKERS);
            if (mtpc != null) {
                builder.maxTasksPerChild(mtpc);
            }
            List<Long> pids;
            double dt;
            PoolStats stats;
            try (ProcessPool pool = builder.build()) {
                pool.map(Tasks.SQUARE, Range.of(2), 1);
                long t = System.nanoTime();
                pids = pool.map(Tasks.GETPID, Range.of(n), 1);
                dt = seconds(t);
                stats = pool.stats();
            }
            check(pids.size() == n, "recycle result");
            String m = mtpc == null ? "None" : mtpc.toString();
            emit("procpool.mtpc_" + m + ".map" + n + "_cs1", Json.obj().put("maxtasksperchild", mtpc).put("n", n)
                    .put("seconds", dt).put("tasks_per_s", n / dt).put("distinct_worker_pids", new HashSet<>(pids).size())
                    .put("e2e_seconds", seconds(t0)).put("workers_started", stats.workersStarted())
                    .put("workers_recycled", stats.workersRecycled())
                    .put("worker_cpu_ms_per_start", (childrenCpuMillis() - cpu0) / stats.workersStarted()));
        }
    }

    /** cpu_scaling.py: 400 sha256 tasks serial in-process, then on pools of 1 and 2 workers with chunksize 1. */
    private void cpuScaling() {
        int n = 400;
        Tasks.sha256Task(0);
        List<Integer> ref = null;
        double[] serialRuns = new double[PHASES.length - 1];
        for (int p = 0; p < PHASES.length; p++) {
            long t = System.nanoTime();
            List<Integer> r = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                r.add(Tasks.sha256Task(i));
            }
            double dt = seconds(t);
            if (p > 0) {
                serialRuns[p - 1] = dt;
            }
            ref = r;
            emit("procpool.cpu.serial" + PHASES[p], Json.obj().put("n", n).put("iters", Tasks.SHA_ITERATIONS)
                    .put("seconds", dt).put("speedup", 1.0).put("per_task_ms", dt / n * 1000));
        }
        Arrays.sort(serialRuns);
        double serial = Stats.median(serialRuns); // speedups are against the median warm serial run
        for (int w = 1; w <= 2; w++) {
            try (ProcessPool pool = Pools.create(w)) {
                pool.map(Tasks.SHA256, Range.of(w), 1);
                for (String phase : PHASES) {
                    long t = System.nanoTime();
                    List<Integer> r = pool.map(Tasks.SHA256, Range.of(n), 1);
                    double dt = seconds(t);
                    check(r.equals(ref), "sha256 results");
                    emit("procpool.cpu.pool" + w + phase, Json.obj().put("n", n).put("workers", w)
                            .put("seconds", dt).put("speedup", serial / dt));
                }
            }
        }
        try (Engine threads = Engine.open("threads", 2)) {
            threads.map(Tasks.SHA256, Range.of(2), 1);
            long t = System.nanoTime();
            List<Integer> r = threads.map(Tasks.SHA256, Range.of(n), 1);
            double dt = seconds(t);
            check(r.equals(ref), "sha256 results");
            emit("threads.cpu.pool2", Json.obj().put("n", n).put("workers", 2).put("seconds", dt)
                    .put("speedup", serial / dt));
        }
    }

    /** payload.py: map(identity, 200 distinct 1 MiB byte arrays, chunksize 1), verified. */
    private void payload() {
        int payloadItems = 200;
        int size = 1024 * 1024;
        List<byte[]> items = new ArrayList<>(payloadItems);
        SplittableRandom random = new SplittableRandom(rep);
        for (int i = 0; i < payloadItems; i++) {
            byte[] item = new byte[size];
            random.nextBytes(item);
            items.add(item);
        }
        try (ProcessPool pool = Pools.create(WORKERS)) {
            pool.map(Tasks.IDENTITY, items.subList(0, 2), 1);
            for (String phase : PHASES) {
                long t = System.nanoTime();
                List<byte[]> r = pool.map(Tasks.IDENTITY, items, 1);
                double dt = seconds(t);
                boolean ok = r.size() == items.size();
                for (int i = 0; ok && i < r.size(); i++) {
                    ok = Arrays.equals(r.get(i), items.get(i));
                }
                double total = (double) payloadItems * size;
                emit("procpool.map_identity_1MiB_cs1" + phase, Json.obj().put("items", payloadItems)
                        .put("item_bytes", size).put("seconds", dt).put("payload_MBps", total / dt / 1e6)
                        .put("wire_MBps", 2 * total / dt / 1e6).put("verified", ok));
                check(ok, "identity results");
            }
        }
    }

    /** Resident memory of idle workers after a warm-up map of 1,000 items (bench/python/idle_rss.py is the twin). */
    private void idleMemory() {
        try (ProcessPool pool = Pools.create(WORKERS)) {
            pool.map(Tasks.SQUARE, Range.of(1000), 1);
            List<Long> rss = new ArrayList<>();
            List<Long> pss = new ArrayList<>();
            for (long pid : pool.workerPids()) {
                rss.add(ProcMemory.rssKiB(pid));
                pss.add(ProcMemory.pssKiB(pid));
            }
            emit("procpool.idle_worker_rss", Json.obj().put("workers", rss.size()).putPOJO("rss_kib", rss)
                    .putPOJO("pss_kib", pss)
                    .put("max_mb", rss.stream().mapToLong(Long::longValue).max().orElse(-1) / 1024.0)
                    .put("max_pss_mb", pss.stream().mapToLong(Long::longValue).max().orElse(-1) / 1024.0));
        }
    }

    /**
     * Measurements run with the application on class directories (compare.sh's directory rows) are named
     * {@code procpool_dir....} instead of {@code procpool....}, so that both kinds sit in one table.
     */
    private static final String CLASSPATH_KIND = System.getProperty("procpool.bench.classpathKind", "jar");

    private void emit(String name, ObjectNode fields) {
        if (!CLASSPATH_KIND.equals("jar") && name.startsWith("procpool.")) {
            name = "procpool_" + CLASSPATH_KIND + name.substring("procpool".length());
        }
        ObjectNode line = Json.obj().put("script", "SideBySide").put("name", name).put("classpath", CLASSPATH_KIND);
        line.setAll(fields);
        line.put("rep", rep).put("worker_jvm_args", String.join(" ", Pools.workerJvmArgs()))
                .put("launcher", Pools.launcher().isEmpty() ? "local" : "slurm job " + Pools.launcher());
        System.out.println(Json.line(line));
        System.out.flush();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("wrong " + what);
        }
    }
}
