package dev.procpool.examples;

import java.net.URL;

/**
 * The example input files, packaged from examples/data/ into this module's jar so that the CLI's demo job finds them
 * on a fresh machine.
 */
public final class ExampleData {
    /** 400 lines "from to" for {@link PrimeCountTask}; every line succeeds. The CLI's demo job runs on it. */
    public static final String RANGES = "ranges.txt";
    /** 10 lines for {@link PrimeCountTask}; lines 4 and 8 are malformed, to show how failures are reported. */
    public static final String RANGES_BAD = "ranges-bad.txt";
    /** 5,000 lines of words, for {@link Sha256Task}. */
    public static final String LINES = "lines.txt";

    private ExampleData() {
    }

    /** The packaged copy of a file of examples/data/, or null if there is none. */
    public static URL resource(String name) {
        return ExampleData.class.getResource("data/" + name);
    }
}
