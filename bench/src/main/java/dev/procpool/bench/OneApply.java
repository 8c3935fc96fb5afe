package dev.procpool.bench;

import dev.procpool.ProcessPool;

/**
 * The smallest whole program: a pool of one worker, one apply, close. compare.sh times it as a process (wall and
 * CPU, the worker's included) beside Python's equivalent (python/one_apply.py) and a JVM that prints hello
 * ({@link Hello}), the floor.
 */
public final class OneApply {
    private OneApply() {
    }

    public static void main(String[] args) {
        try (ProcessPool pool = Pools.create(1)) {
            int r = pool.<Integer, Integer>apply(x -> x * x, 7);
            if (r != 49) {
                throw new AssertionError("7 * 7 = " + r);
            }
        }
    }
}
