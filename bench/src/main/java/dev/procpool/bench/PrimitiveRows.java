package dev.procpool.bench;

import static dev.procpool.bench.CompareReport.m;
import static dev.procpool.bench.CompareReport.number;

import dev.procpool.bench.CompareReport.Better;
import dev.procpool.bench.CompareReport.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows of ../shared/anchors/python-mp/primitives.py (run with fork and with spawn) against PrimitivesSideBySide,
 * with the targets of DESIGN.md's "Processes and shared objects against Python's own primitives".
 */
final class PrimitiveRows {
    static final String SECTION = "## Processes and shared objects vs Python's own primitives\n\n"
            + "`python-mp/primitives.py --start fork` and `--start spawn` against `PrimitivesSideBySide` (JvmProcess"
            + " children, shared objects; medians over the repetitions; *vs fork* / *vs spawn*: how many times better"
            + " procpool is). Where the script's timer runs while its children start (queue stream, JoinableQueue),"
            + " procpool's timer includes the children's JVM start too; the *children running first* rows time the"
            + " same work once the children said they run (Python's columns repeat the script's only figure).\n\n";

    private PrimitiveRows() {
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(row("Process start + join, sequential, no-op target", "/s", Better.HIGHER, 20,
                "process_start_join", "per_s"));
        rows.add(row("Queue stream: root puts 100,000 ints, one child takes them", "items/s", Better.HIGHER, 300_000,
                "queue_stream", "items_per_s"));
        rows.add(row("Queue stream, child running first", "items/s", Better.HIGHER, 300_000,
                "queue_stream", "queue_stream.children_ready", "items_per_s"));
        rows.add(row("Queue ping-pong root -> child -> root, median", "us", Better.LOWER, 40,
                "queue_pingpong", "median_us"));
        rows.add(row("JoinableQueue, 20,000 items, 2 consumers, taskDone, join", "items/s", Better.HIGHER, 150_000,
                "joinable_queue", "items_per_s"));
        rows.add(row("JoinableQueue, consumers running first", "items/s", Better.HIGHER, 150_000,
                "joinable_queue", "joinable_queue.children_ready", "items_per_s"));
        rows.add(row("2 children x 20,000 (lock; counter += 1; unlock)", "ops/s", Better.HIGHER, 1e6,
                "lock_counter", "ops_per_s"));
        rows.add(row("2 children x 20,000 semaphore acquire/release", "ops/s", Better.HIGHER, 3e6,
                "semaphore", "ops_per_s"));
        rows.add(row("Event ping-pong, median", "us", Better.LOWER, 40, "event_pingpong", "median_us"));
        rows.add(row("Condition ping-pong, median", "us", Better.LOWER, 40, "condition_pingpong", "median_us"));
        rows.add(row("Manager dict: one child, 5,000 puts + 5,000 gets, timed inside the child", "ops/s",
                Better.HIGHER, 50_000, "manager_dict", "child_ops_per_s"));
        rows.add(row("Manager dict, timed with the child's start", "ops/s", Better.HIGHER, Double.NaN,
                "manager_dict", "ops_per_s"));
        rows.add(row("Manager queue, 10,000 items root -> child", "items/s", Better.HIGHER, Double.NaN,
                "manager_queue", "items_per_s"));
        return rows;
    }

    private static Row row(String workload, String unit, Better better, double target, String name, String field) {
        return row(workload, unit, better, target, name, name, field);
    }

    /** Python's mp_fork.PY / mp_spawn.PY against procpool.PP. */
    private static Row row(String workload, String unit, Better better, double target, String py, String pp,
                           String field) {
        return new Row(workload, unit, better, target, m("mp_fork\\." + regex(py), field),
                m("procpool\\." + regex(pp), field), null, m("mp_spawn\\." + regex(py), field));
    }

    private static String regex(String name) {
        return name.replace(".", "\\.");
    }

    static String table(List<Row> rows, Results python, Results procpool) {
        StringBuilder out = new StringBuilder();
        out.append("| workload | unit | Python fork | Python spawn | procpool | vs fork | vs spawn | target | met? |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---|---|\n");
        for (Row row : rows) {
            double fork = row.python().applyAsDouble(python);
            double spawn = row.pythonSpawn().applyAsDouble(python);
            double pp = row.procpool().applyAsDouble(procpool);
            out.append("| ").append(row.workload())
                    .append(" | ").append(row.unit())
                    .append(" | ").append(number(fork))
                    .append(" | ").append(number(spawn))
                    .append(" | ").append(number(pp))
                    .append(" | ").append(ratio(row, fork, pp))
                    .append(" | ").append(ratio(row, spawn, pp))
                    .append(" | ").append(row.targetText())
                    .append(" | ").append(row.met(pp)).append(shortfall(row, pp))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String ratio(Row row, double py, double pp) {
        return Double.isNaN(py) || Double.isNaN(pp) ? "n/a" : times(row.ratio(py, pp));
    }

    /** 2.50x, 0.25x; below 0.1 two significant digits (0.0028x), so that a far miss does not read 0.00x. */
    static String times(double ratio) {
        return String.format(Locale.ROOT, ratio >= 0.1 ? "%.2fx" : "%.2gx", ratio);
    }

    /** How far a missed target is: " (0.25x of it)". */
    private static String shortfall(Row row, double pp) {
        if (!"NO".equals(row.met(pp))) {
            return "";
        }
        return " (" + times(row.ratio(row.target(), pp)) + " of it)";
    }
}
