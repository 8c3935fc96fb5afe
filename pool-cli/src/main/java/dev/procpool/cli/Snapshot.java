package dev.procpool.cli;

import dev.procpool.PoolStats;
import java.time.Duration;
import java.util.Locale;

/**
 * How far a run is: items done (succeeded or failed), failures, the expected total (-1 if unknown), time since the
 * workers were ready, live workers and the pool's counters.
 */
record Snapshot(long done, long failed, long total, Duration elapsed, int workers, PoolStats stats) {
    double itemsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? done / seconds : 0;
    }

    /** Time left at the rate so far, or null when the total or the rate is unknown. */
    Duration eta() {
        double rate = itemsPerSecond();
        if (total < 0 || rate <= 0) {
            return null;
        }
        return Duration.ofMillis(Math.round(Math.max(0, total - done) / rate * 1000));
    }

    String workerCounts() {
        return stats.workersStarted() + " started, " + stats.workersRecycled() + " recycled, "
                + stats.workersCrashed() + " crashed, " + stats.workersKilled() + " killed";
    }

    /** One line while running, for logs. */
    String progressLine() {
        StringBuilder line = new StringBuilder("procpool: ").append(done);
        if (total >= 0) {
            line.append('/').append(total).append(" items (")
                    .append(total == 0 ? 100 : Math.min(100, done * 100 / total)).append("%)");
        } else {
            line.append(" items");
        }
        line.append(String.format(Locale.ROOT, ", %.0f items/s", itemsPerSecond()));
        Duration eta = eta();
        if (eta != null) {
            line.append(", ETA ").append(format(eta));
        }
        return line.append(", ").append(failed).append(" failed; workers: ").append(workers).append(" up, ")
                .append(workerCounts()).toString();
    }

    /** The last line of a run. */
    String summary() {
        return String.format(Locale.ROOT, "procpool: %d items, %d failed, %.2f s, %.0f items/s; workers: %s",
                done, failed, elapsed.toNanos() / 1e9, itemsPerSecond(), workerCounts());
    }

    static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
