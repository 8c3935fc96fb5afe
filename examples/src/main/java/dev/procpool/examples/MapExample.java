package dev.procpool.examples;

import dev.procpool.ProcessPool;
import dev.procpool.TaskFailedException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * map, imap and imapUnordered: Python's {@code pool.map(f, xs)}, {@code pool.imap(f, xs, chunksize)} and
 * {@code pool.imap_unordered(f, xs, chunksize)}.
 */
public final class MapExample {
    private MapExample() {
    }

    public static void main(String[] args) {
        List<Integer> numbers = IntStream.range(0, 10).boxed().toList();
        try (ProcessPool pool = ProcessPool.create(2)) {
            // map blocks until every result is there; results come in input order.
            List<Integer> squares = pool.map(x -> x * x, numbers);
            System.out.println("map: " + squares);

            // imap is lazy: inputs are read as results are consumed, so the input may be endless. A failed item
            // throws from next() and the iteration goes on with the next one.
            Iterator<String> counts = pool.imap(new PrimeCountTask(), List.of("10", "100", "ten", "1000"), 1);
            while (counts.hasNext()) {
                try {
                    System.out.println("imap: " + counts.next());
                } catch (TaskFailedException e) {
                    System.out.println("imap: input " + e.index() + " failed: " + e.getCause());
                }
            }

            // imapUnordered yields results as they complete, so a slow item does not hold up the others.
            List<String> ranges = List.of("1 2000000", "1 1000", "1 100", "1 10");
            List<String> completed = new ArrayList<>();
            pool.imapUnordered(new PrimeCountTask(), ranges, 1).forEachRemaining(completed::add);
            System.out.println("imapUnordered, in completion order: " + completed);
        }
    }
}
