package dev.procpool.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.procpool.ProcessPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures what worker JVM options do to the things they trade against each other: worker start (pool of 1 built and
 * first apply result), recycling (maxTasksPerChild=1 on 2 workers), idle memory, apply latency, map throughput and a
 * CPU-bound task. One JSON line per option set, then a Markdown table.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.procpool.bench.WorkerFlags [--starts 8] [--recycles 60]
 *     [--set "name|cds|-XX:Opt1 -XX:Opt2"]...</pre>
 * {@code cds} is "cds" (the pool's AppCDS archive on, its default) or "no-cds". Without --set, a built-in list runs.
 */
public final class WorkerFlags {
    record FlagSet(String name, boolean cds, List<String> args) {
        static FlagSet parse(String spec) {
            String[] parts = spec.split("\\|", -1);
            return new FlagSet(parts[0], "cds".equals(parts[1]), Pools.split(parts.length > 2 ? parts[2] : ""));
        }
    }

    static final List<FlagSet> DEFAULT_SETS = List.of(
            FlagSet.parse("defaults, no AppCDS|no-cds|"),
            FlagSet.parse("defaults, no CDS at all|no-cds|-Xshare:off"),
            FlagSet.parse("defaults (AppCDS)|cds|"),
            FlagSet.parse("no AppCDS, C1 only|no-cds|-XX:TieredStopAtLevel=1"),
            FlagSet.parse("no AppCDS, no verification|no-cds|-XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote"),
            FlagSet.parse("C1 only|cds|-XX:TieredStopAtLevel=1"),
            FlagSet.parse("C1, 1 compiler thread|cds|-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"),
            FlagSet.parse("-Xss256k|cds|-Xss256k"),
            FlagSet.parse("-Xmx64m|cds|-Xmx64m"),
            FlagSet.parse("CICompilerCount=2|cds|-XX:CICompilerCount=2"),
            FlagSet.parse("C1, -Xss256k, -Xmx64m|cds|-XX:TieredStopAtLevel=1 -Xss256k -Xmx64m"));

    private int starts = 8;
    private int recycles = 60;

    public static void main(String[] args) {
        WorkerFlags bench = new WorkerFlags();
        List<FlagSet> sets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--starts" -> bench.starts = Integer.parseInt(args[++i]);
                case "--recycles" -> bench.recycles = Integer.parseInt(args[++i]);
                case "--set" -> sets.add(FlagSet.parse(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<ObjectNode> rows = new ArrayList<>();
        for (FlagSet set : sets.isEmpty() ? DEFAULT_SETS : sets) {
            ObjectNode row;
            try {
                row = bench.measure(set);
            } catch (RuntimeException e) {
                row = Json.obj().put("name", set.name()).put("cds", set.cds() ? "on" : "off")
                        .put("args", String.join(" ", set.args())).put("error", e.toString());
            }
            System.out.println(Json.line(row));
            System.out.flush();
            rows.add(row);
        }
        System.out.println();
        System.out.println("| worker options | AppCDS | start to ready, median ms | start to 1st result, median ms"
                + " | recycles/s (mtpc=1) | idle RSS MB"
                + " | apply median us | map 1M items/s | 400 sha256 tasks, 2 workers, ms |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (ObjectNode row : rows) {
            System.out.println(markdownRow(row, "name", "cds", "ready_median_ms", "start_median_ms", "recycles_per_s",
                    "idle_rss_mb", "apply_median_us", "map1M_items_per_s", "sha256_2w_ms"));
        }
    }

    private ProcessPool.Builder builder(FlagSet set, int workers) {
        return Pools.builder(workers).classDataSharing(set.cds()).jvmArgs(set.args().toArray(String[]::new));
    }

    private ObjectNode measure(FlagSet set) {
        System.err.println("[WorkerFlags] " + set);
        try (ProcessPool pool = builder(set, 1).build()) { // records the AppCDS archive for these options
            pool.apply(Tasks.SQUARE, 1);
            pool.map(Tasks.SHA256, Range.of(2), 1);
        }
        double[] readyMs = new double[starts];
        double[] startMs = new double[starts];
        for (int i = 0; i < starts; i++) {
            long t = System.nanoTime();
            try (ProcessPool pool = builder(set, 1).build()) {
                readyMs[i] = (System.nanoTime() - t) / 1e6;
                pool.apply(Tasks.SQUARE, 7);
                startMs[i] = (System.nanoTime() - t) / 1e6;
            }
        }
        Arrays.sort(readyMs);
        Arrays.sort(startMs);

        double recyclesPerS;
        try (ProcessPool pool = builder(set, 2).maxTasksPerChild(1).build()) {
            pool.map(Tasks.SQUARE, Range.of(2), 1);
            long t = System.nanoTime();
            pool.map(Tasks.GETPID, Range.of(recycles), 1);
            recyclesPerS = recycles / ((System.nanoTime() - t) / 1e9);
        }

        ObjectNode row = Json.obj().put("name", set.name()).put("cds", set.cds() ? "on" : "off")
                .put("args", String.join(" ", set.args()))
                .put("ready_median_ms", Stats.median(readyMs)).put("start_median_ms", Stats.median(startMs))
                .put("start_min_ms", startMs[0])
                .put("recycles_per_s", recyclesPerS);
        try (ProcessPool pool = builder(set, 2).build()) {
            pool.map(Tasks.SQUARE, Range.of(1000), 1);
            long rss = 0;
            for (long pid : pool.workerPids()) {
                rss = Math.max(rss, ProcMemory.rssKiB(pid));
            }
            row.put("idle_rss_mb", rss / 1024.0);

            long[] ns = new long[5000];
            for (int i = 0; i < 2000; i++) {
                pool.apply(Tasks.SQUARE, i);
            }
            for (int i = 0; i < ns.length; i++) {
                long t = System.nanoTime();
                pool.apply(Tasks.SQUARE, i);
                ns[i] = System.nanoTime() - t;
            }
            row.setAll(prefixed("apply_", Stats.latency(ns)));

            double seconds = 0;
            for (int i = 0; i < 2; i++) { // the second run counts: the first one warms the JIT
                long t = System.nanoTime();
                pool.map(Tasks.SQUARE, Range.of(1_000_000));
                seconds = (System.nanoTime() - t) / 1e9;
            }
            row.put("map1M_items_per_s", 1_000_000 / seconds);

            for (int i = 0; i < 2; i++) {
                long t = System.nanoTime();
                pool.map(Tasks.SHA256, Range.of(400), 1);
                seconds = (System.nanoTime() - t) / 1e9;
            }
            row.put("sha256_2w_ms", seconds * 1000);
        }
        return row;
    }

    private static ObjectNode prefixed(String prefix, ObjectNode stats) {
        ObjectNode out = Json.obj();
        stats.properties().forEach(field -> out.set(prefix + field.getKey(), field.getValue()));
        return out;
    }

    /** {@code | v1 | v2 |} of the given fields, numbers with 3 significant digits, "null" for a missing one. */
    private static String markdownRow(JsonNode row, String... fields) {
        StringBuilder out = new StringBuilder("|");
        for (String field : fields) {
            JsonNode v = row.path(field);
            out.append(' ').append(v.isNumber() ? CompareReport.number(v.doubleValue())
                    : v.isMissingNode() ? "null" : v.asText()).append(" |");
        }
        return out.toString();
    }
}
