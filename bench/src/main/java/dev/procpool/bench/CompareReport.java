package dev.procpool.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Turns the Python anchors' JSON lines and SideBySide's into the comparison table (stdout and compare.md) and a chart
 * (compare.png).
 *
 * <pre>CompareReport PYTHON.jsonl PROCPOOL.jsonl OUT_DIR [--mode quick|full] [--python-version V] [--worker-jvm-args A]
 *     [--note TEXT]</pre>
 */
public final class CompareReport {
    /** Whether a larger value of a workload's metric is better. */
    enum Better { HIGHER, LOWER }

    /**
     * One workload: how to read the Python and procpool values from the results, and the DESIGN.md target (NaN = none;
     * such rows are context).
     */
    record Row(String workload, String unit, Better better, double target, ToDoubleFunction<Results> python,
               ToDoubleFunction<Results> procpool, ToDoubleFunction<Results> procpoolCold,
               ToDoubleFunction<Results> pythonSpawn) {
        /** A Pool row: Python's column is Pool with fork; no spawn column. */
        Row(String workload, String unit, Better better, double target, ToDoubleFunction<Results> python,
            ToDoubleFunction<Results> procpool, ToDoubleFunction<Results> procpoolCold) {
            this(workload, unit, better, target, python, procpool, procpoolCold, null);
        }

        double ratio(double py, double pp) {
            return better == Better.HIGHER ? pp / py : py / pp;
        }

        String met(double pp) {
            if (Double.isNaN(target)) {
                return "-";
            }
            if (Double.isNaN(pp)) {
                return "n/a";
            }
            return (better == Better.HIGHER ? pp >= target : pp <= target) ? "yes" : "NO";
        }

        String targetText() {
            if (Double.isNaN(target)) {
                return "-";
            }
            String value = target == Math.rint(target) && target < 1e4 ? String.valueOf((long) target) : number(target);
            return (better == Better.HIGHER ? ">= " : "<= ") + value;
        }
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("apply() round trip, median", "us", Better.LOWER, 20,
                m("pool_fork\\.apply\\.latency", "median_us"), m("procpool\\.apply\\.latency", "median_us"),
                m("procpool\\.apply\\.latency\\.cold", "median_us")));
        rows.add(new Row("apply() round trip, p99", "us", Better.LOWER, Double.NaN,
                m("pool_fork\\.apply\\.latency", "p99_us"), m("procpool\\.apply\\.latency", "p99_us"),
                m("procpool\\.apply\\.latency\\.cold", "p99_us")));
        rows.add(new Row("20k applyAsync then get all", "tasks/s", Better.HIGHER, 150_000,
                m("pool_fork\\.apply_async\\.throughput", "tasks_per_s"),
                m("procpool\\.apply_async\\.throughput", "tasks_per_s"),
                m("procpool\\.apply_async\\.throughput\\.cold", "tasks_per_s")));
        rows.add(new Row("map x*x over 1M, default chunksize", "items/s", Better.HIGHER, 20e6,
                m("pool_fork\\.map\\.default_chunksize", "items_per_s"),
                m("procpool\\.map\\.default_chunksize", "items_per_s"),
                m("procpool\\.map\\.default_chunksize\\.cold", "items_per_s")));
        rows.add(new Row("map x*x over 20k, chunksize 1", "items/s", Better.HIGHER, 150_000,
                m("pool_fork\\.map\\.chunksize1", "items_per_s"), m("procpool\\.map\\.chunksize1", "items_per_s"),
                m("procpool\\.map\\.chunksize1\\.cold", "items_per_s")));
        rows.add(new Row("maxtasksperchild=1", "tasks/s", Better.HIGHER, 30,
                m("pool_fork\\.mtpc_1\\.map\\d+_cs1", "tasks_per_s"), m("procpool\\.mtpc_1\\.map\\d+_cs1", "tasks_per_s"),
                null));
        rows.add(new Row("maxtasksperchild=10", "tasks/s", Better.HIGHER, Double.NaN,
                m("pool_fork\\.mtpc_10\\.map\\d+_cs1", "tasks_per_s"),
                m("procpool\\.mtpc_10\\.map\\d+_cs1", "tasks_per_s"), null));
        rows.add(new Row("maxtasksperchild=100 vs unlimited", "%", Better.HIGHER, 25,
                percent("pool_fork\\.mtpc_100\\.map\\d+_cs1", "pool_fork\\.mtpc_None\\.map\\d+_cs1"),
                percent("procpool\\.mtpc_100\\.map\\d+_cs1", "procpool\\.mtpc_None\\.map\\d+_cs1"), null));
        rows.add(new Row("400 CPU tasks (sha256), 2 workers vs serial", "x", Better.HIGHER, 1.85,
                m("pool2_fork", "speedup"), m("procpool\\.cpu\\.pool2", "speedup"),
                m("procpool\\.cpu\\.pool2\\.cold", "speedup")));
        rows.add(new Row("identity map, 200 x 1 MiB, chunksize 1", "MB/s", Better.HIGHER, 800,
                m("pool_fork\\.map_identity_1MiB_cs1", "payload_MBps"),
                m("procpool\\.map_identity_1MiB_cs1", "payload_MBps"),
                m("procpool\\.map_identity_1MiB_cs1\\.cold", "payload_MBps")));
        rows.add(new Row("idle worker resident memory (VmRSS)", "MB", Better.LOWER, 40,
                m("pool_fork\\.idle_worker_rss", "max_mb"), m("procpool\\.idle_worker_rss", "max_mb"), null));
        rows.add(new Row("idle worker proportional memory (Pss)", "MB", Better.LOWER, Double.NaN,
                m("pool_fork\\.idle_worker_rss", "max_pss_mb"), m("procpool\\.idle_worker_rss", "max_pss_mb"), null));
        rows.add(new Row("pool start to first result", "ms", Better.LOWER, Double.NaN,
                scaled(m("pool_fork\\.startup_to_first_result", "seconds"), 1000),
                scaled(m("procpool\\.startup_to_first_result", "seconds"), 1000), null));
        classpathRows(rows);
        return rows;
    }

    /**
     * Issue 11: worker start on a jar classpath and on class directories (target/classes, an IDE), side by side,
     * over the floor of a JVM that prints hello; whole programs timed as processes by compare.sh.
     */
    private static void classpathRows(List<Row> rows) {
        ToDoubleFunction<Results> none = r -> Double.NaN;
        for (String kind : List.of("jar", "dir")) {
            String pp = kind.equals("jar") ? "procpool" : "procpool_dir";
            String on = ", " + kind + " classpath";
            rows.add(new Row("the program's first pool: start to first result" + on, "ms", Better.LOWER, 150,
                    scaled(m("pool_fork\\.startup_to_first_result", "seconds"), 1000),
                    scaled(m(pp + "\\.first_pool_to_first_result", "seconds"), 1000), null));
            if (kind.equals("jar")) { // the jar's recycling rows are the ones above
                rows.add(new Row("worker CPU per start (maxtasksperchild=1)" + on, "ms", Better.LOWER, Double.NaN,
                        none, m(pp + "\\.mtpc_1\\.map\\d+_cs1", "worker_cpu_ms_per_start"), null));
                addWholeProgram(rows, pp, on);
                continue;
            }
            rows.add(new Row("maxtasksperchild=1" + on, "tasks/s", Better.HIGHER, 30,
                    m("pool_fork\\.mtpc_1\\.map\\d+_cs1", "tasks_per_s"), m(pp + "\\.mtpc_1\\.map\\d+_cs1", "tasks_per_s"),
                    null));
            rows.add(new Row("maxtasksperchild=10" + on, "tasks/s", Better.HIGHER, Double.NaN,
                    m("pool_fork\\.mtpc_10\\.map\\d+_cs1", "tasks_per_s"),
                    m(pp + "\\.mtpc_10\\.map\\d+_cs1", "tasks_per_s"), null));
            rows.add(new Row("maxtasksperchild=100 vs unlimited" + on, "%", Better.HIGHER, 25,
                    percent("pool_fork\\.mtpc_100\\.map\\d+_cs1", "pool_fork\\.mtpc_None\\.map\\d+_cs1"),
                    percent(pp + "\\.mtpc_100\\.map\\d+_cs1", pp + "\\.mtpc_None\\.map\\d+_cs1"), null));
            rows.add(new Row("worker CPU per start (maxtasksperchild=1)" + on, "ms", Better.LOWER, Double.NaN, none,
                    m(pp + "\\.mtpc_1\\.map\\d+_cs1", "worker_cpu_ms_per_start"), null));
            addWholeProgram(rows, pp, on);
        }
        rows.add(new Row("whole program, Python spawn (Python column)", "ms", Better.LOWER, Double.NaN,
                m("pool_spawn\\.whole\\.one_apply", "wall_ms"), r -> Double.NaN, null));
        rows.add(new Row("floor: a JVM printing hello, wall", "ms", Better.LOWER, Double.NaN, r -> Double.NaN,
                m("floor\\.hello_jvm", "wall_ms"), null));
        rows.add(new Row("floor: a JVM printing hello, CPU", "ms", Better.LOWER, Double.NaN, r -> Double.NaN,
                m("floor\\.hello_jvm", "cpu_ms"), null));
    }

    private static void addWholeProgram(List<Row> rows, String pp, String on) {
        rows.add(new Row("whole program: pool of 1, one apply, wall" + on, "ms", Better.LOWER, 250,
                m("pool_fork\\.whole\\.one_apply", "wall_ms"), m(pp + "\\.whole\\.one_apply", "wall_ms"), null));
        rows.add(new Row("whole program: pool of 1, one apply, CPU" + on, "ms", Better.LOWER, Double.NaN,
                m("pool_fork\\.whole\\.one_apply", "cpu_ms"), m(pp + "\\.whole\\.one_apply", "cpu_ms"), null));
    }

    /** The rows of python-mp/primitives.py (Python fork and spawn) and PrimitivesSideBySide: see PrimitiveRows. */
    static List<Row> primitiveRows() {
        return PrimitiveRows.rows();
    }

    static ToDoubleFunction<Results> m(String nameRegex, String field) {
        return r -> r.median(nameRegex, field);
    }

    private static ToDoubleFunction<Results> percent(String numerator, String denominator) {
        return r -> 100 * r.median(numerator, "tasks_per_s") / r.median(denominator, "tasks_per_s");
    }

    private static ToDoubleFunction<Results> scaled(ToDoubleFunction<Results> f, double factor) {
        return r -> f.applyAsDouble(r) * factor;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: CompareReport PYTHON.jsonl PROCPOOL.jsonl OUT_DIR [--mode M] [--python-version V]"
                    + " [--worker-jvm-args A] [--note TEXT]");
            System.exit(2);
        }
        Path pythonFile = Path.of(args[0]);
        Path procpoolFile = Path.of(args[1]);
        Path outDir = Path.of(args[2]);
        String mode = "full";
        String pythonVersion = "python3";
        String workerJvmArgs = "";
        String note = "";
        Results slurm = null; // SideBySide with its workers as Slurm job steps, when compare.sh could run it
        for (int i = 3; i < args.length; i++) {
            switch (args[i]) {
                case "--mode" -> mode = args[++i];
                case "--python-version" -> pythonVersion = args[++i];
                case "--worker-jvm-args" -> workerJvmArgs = args[++i];
                case "--note" -> note = args[++i];
                case "--slurm" -> slurm = Results.read(Path.of(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Results python = Results.read(pythonFile);
        Results procpool = Results.read(procpoolFile);
        List<Row> rows = rows();
        List<Row> primitives = primitiveRows();

        String table = hasData(rows, python, procpool) ? table(rows, python, procpool, slurm) : "";
        String primitivesTable = hasData(primitives, python, procpool)
                ? PrimitiveRows.table(primitives, python, procpool) : "";
        System.out.println(table);
        System.out.println(primitivesTable);
        procpool.errors().forEach(e -> System.out.println("procpool error: " + e));

        Files.createDirectories(outDir);
        String md = "# procpool vs Python multiprocessing\n\n"
                + "Generated by `bench/compare.sh" + ("quick".equals(mode) ? " --quick" : "") + "` on "
                + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")) + ": "
                + machine() + "; Java " + System.getProperty("java.version") + "; " + pythonVersion
                + " (Pool(2) with start method fork; primitives.py with fork and spawn)"
                + (workerJvmArgs.isBlank() ? "" : "; extra worker JVM options `" + workerJvmArgs + "`") + ".\n"
                + (note.isBlank() ? "" : note + "\n")
                + "\n"
                + "Python Pool and procpool columns: medians over the repetitions of this run (both sides ran on this"
                + " machine, one after the other, 2 workers each). *ratio* is how many times better procpool is"
                + " (above 1 = better than Python). *1st run* is procpool's first timed run on a fresh pool"
                + " (worker JVMs not yet JIT-compiled); the procpool column is the median of the 2nd to 4th runs on"
                + " the same pool, as a long-lived pool sees it."
                + (slurm == null ? "" : " *procpool on Slurm*: the same measurement with the workers as job steps"
                + " of a two-node Slurm allocation on this machine (the Slurm launcher), median of the 2nd to 4th"
                + " runs.") + "\n\n"
                + (table.isEmpty() ? "(no Pool rows in this run)\n" : table) + "\n"
                + (primitivesTable.isEmpty() ? "" : PrimitiveRows.SECTION + primitivesTable + "\n")
                + "![procpool relative to Python](compare.png)\n";
        if (!procpool.errors().isEmpty()) {
            md += "\nErrors:\n\n" + String.join("\n", procpool.errors().stream().map(e -> "- " + e).toList()) + "\n";
        }
        Files.writeString(outDir.resolve("compare.md"), md);
        try {
            List<Row> all = new ArrayList<>(rows);
            all.addAll(primitives);
            CompareChart.write(all, python, procpool, outDir.resolve("compare.png"));
        } catch (RuntimeException | Error e) {
            System.err.println("chart not written: " + e);
        }
    }

    /** Whether any row has a value on either side (a run of compare.sh --only pool has no primitives rows). */
    static boolean hasData(List<Row> rows, Results python, Results procpool) {
        return rows.stream().anyMatch(r -> !Double.isNaN(r.python().applyAsDouble(python))
                || !Double.isNaN(r.procpool().applyAsDouble(procpool)));
    }

    static String table(List<Row> rows, Results python, Results procpool, Results slurm) {
        StringBuilder out = new StringBuilder();
        out.append("| workload | unit | Python Pool | procpool | ratio | target | met? | procpool 1st run |")
                .append(slurm == null ? "\n" : " procpool on Slurm |\n");
        out.append("|---|---|---:|---:|---:|---|---|---:|").append(slurm == null ? "\n" : "---:|\n");
        for (Row row : rows) {
            double py = row.python().applyAsDouble(python);
            double pp = row.procpool().applyAsDouble(procpool);
            double cold = row.procpoolCold() == null ? Double.NaN : row.procpoolCold().applyAsDouble(procpool);
            out.append("| ").append(row.workload())
                    .append(" | ").append(row.unit())
                    .append(" | ").append(number(py))
                    .append(" | ").append(number(pp))
                    .append(" | ").append(Double.isNaN(py) || Double.isNaN(pp) ? "n/a"
                            : String.format(Locale.ROOT, "%.2fx", row.ratio(py, pp)))
                    .append(" | ").append(row.targetText())
                    .append(" | ").append(row.met(pp))
                    .append(" | ").append(Double.isNaN(cold) ? "" : number(cold))
                    .append(slurm == null ? "" : " | " + slurmValue(row, slurm))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The Slurm run measured only some workloads: the others stay empty. */
    private static String slurmValue(Row row, Results slurm) {
        double value = row.procpool().applyAsDouble(slurm);
        return Double.isNaN(value) ? "" : number(value);
    }

    /** 3 significant digits, with k and M suffixes past 10,000. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double abs = Math.abs(v);
        if (abs >= 1e6) {
            return sig(v / 1e6) + "M";
        }
        if (abs >= 1e4) {
            return sig(v / 1e3) + "k";
        }
        return sig(v);
    }

    private static String sig(double v) {
        double abs = Math.abs(v);
        String format = abs >= 100 ? "%.0f" : abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, format, v);
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            // not Linux: keep "unknown CPU"
        }
        return Runtime.getRuntime().availableProcessors() + " x " + cpu;
    }
}
