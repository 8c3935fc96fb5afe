package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void applyAndMap() {
        try (ProcessPool pool = ProcessPool.create(2)) {
            assertEquals(49, (int) pool.apply(x -> x * x, 7));
            assertEquals(List.of(1, 4, 9), pool.map(x -> x * x, List.of(1, 2, 3)));
            long t = System.nanoTime();
            for (int i = 0; i < 2000; i++) pool.apply(x -> x + 1, i);
            System.err.println("apply us " + (System.nanoTime() - t) / 2000 / 1000.0);
            System.err.println(pool.stats());
        }
    }
}
