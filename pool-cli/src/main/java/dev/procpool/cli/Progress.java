package dev.procpool.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows how a run goes on stderr, from its own thread: a progress bar when stderr is a terminal, else a line every
 * few seconds for logs. {@link #stop()} ends and joins the thread.
 */
final class Progress {
    /** Where snapshots go. */
    private interface Display {
        void show(Snapshot snapshot);

        /** The run is over; the summary line that follows reports the final state. */
        default void close(Snapshot last) {
        }
    }

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Display display;
    private final Supplier<Snapshot> source;
    private final Duration interval;
    private final Thread thread;

    private Progress(Display display, Duration interval, Supplier<Snapshot> source) {
        this.display = display;
        this.interval = interval;
        this.source = source;
        this.thread = new Thread(this::run, "procpool-progress");
        thread.setDaemon(true); // never keeps the JVM up, though stop() ends it anyway
        thread.start();
    }

    static Progress onTerminal(Supplier<Snapshot> source) {
        return new Progress(new Bar(), Duration.ofMillis(200), source);
    }

    static Progress asLines(Supplier<Snapshot> source) {
        return new Progress(snapshot -> System.err.println(snapshot.progressLine()), Duration.ofSeconds(5), source);
    }

    private void run() {
        try {
            while (!stopped.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                display.show(source.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            display.close(source.get());
        }
    }

    void stop() throws InterruptedException {
        stopped.countDown();
        thread.join();
    }

    /** The terminal bar; the library redraws it on its own timer from what {@link #show} sets. */
    private static final class Bar implements Display {
        private final ProgressBar bar = new ProgressBarBuilder()
                .setTaskName("procpool")
                .setInitialMax(-1)
                .setStyle(ProgressBarStyle.ASCII)
                .showSpeed()
                .setUpdateIntervalMillis(200)
                .build();

        @Override
        public void show(Snapshot snapshot) {
            if (snapshot.total() >= 0) {
                bar.maxHint(snapshot.total());
            }
            bar.stepTo(snapshot.done());
            bar.setExtraMessage(" " + snapshot.failed() + " failed, " + snapshot.workers() + " workers");
        }

        @Override
        public void close(Snapshot last) {
            show(last); // so that the bar ends at the real count
            bar.close();
        }
    }
}
