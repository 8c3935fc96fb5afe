package dev.procpool.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/** Latency statistics computed exactly as the Python anchors compute them. */
public final class Stats {
    private Stats() {
    }

    /** Nearest-rank percentile of sorted values, as apply_latency.py's pct() (Python's round is half-even). */
    public static double percentile(double[] sorted, double p) {
        int k = (int) Math.rint(p / 100.0 * sorted.length + 0.5) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, k))];
    }

    /** statistics.median: the middle value, or the mean of the two middle values. */
    public static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    public static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** apply_latency.py's lat_stats(): nanoseconds in, microseconds out, as JSON fields. */
    public static ObjectNode latency(long[] nanos) {
        double[] us = new double[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            us[i] = nanos[i] / 1000.0;
        }
        Arrays.sort(us);
        return Json.obj().put("n", us.length).put("median_us", median(us)).put("p90_us", percentile(us, 90))
                .put("p99_us", percentile(us, 99)).put("max_us", us[us.length - 1]).put("mean_us", mean(us));
    }
}
