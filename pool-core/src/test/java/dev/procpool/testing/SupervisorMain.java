package dev.procpool.testing;

import dev.procpool.ProcessPool;
import dev.procpool.Slurm;
import java.util.List;
import java.util.stream.Collectors;

/** A supervisor in a child JVM, for tests of what happens to workers when their supervisor goes away. */
public final class SupervisorMain {
    private SupervisorMain() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "kill-me" -> {
                ProcessPool pool = ProcessPool.create(2);
                printPids(pool);
                Blocker.blockForever();
            }
            case "forget-to-close" -> {
                ProcessPool pool = ProcessPool.create(2);
                pool.apply(x -> x, 1);
                printPids(pool);
                // main returns with the pool open: the JVM must still exit, and take its workers along
            }
            case "stderr" -> {
                try (ProcessPool pool = ProcessPool.create(2)) {
                    pool.map(x -> {
                        String body = "x".repeat(200);
                        for (int i = 0; i < 300; i++) {
                            System.err.println("line-" + x + "-" + i + "-" + body);
                            System.out.println("out-" + x + "-" + i + "-" + body);
                        }
                        return x;
                    }, List.of(0, 1, 2, 3), 1);
                }
            }
            case "busy-with-child" -> {
                // args[1]: port of a Checkpoint in the test. One worker runs a task that started `sleep 1000` and hangs,
                // the other a task that hangs; the test then signals this JVM and checks that nothing survives it.
                int port = Integer.parseInt(args[1]);
                ProcessPool pool = ProcessPool.create(2);
                pool.applyAsync(x -> {
                    long child = Children.startSleep();
                    Checkpoint.reach(port, ProcessHandle.current().pid() + " " + child);
                    Blocker.blockForever();
                    return x;
                }, 1);
                pool.applyAsync(x -> {
                    Checkpoint.reach(port, ProcessHandle.current().pid() + " -1");
                    Blocker.blockForever();
                    return x;
                }, 2);
                printPids(pool);
                Blocker.blockForever();
            }
            case "slurm-kill-me" -> {
                // args[1]: "new" (the pool requests its own allocation) or the job id to run the steps in
                Slurm slurm = "new".equals(args[1]) ? Slurm.newAllocation("-N2", "--immediate=100")
                        : Slurm.allocation(args[1]);
                ProcessPool pool = ProcessPool.builder().slurm(slurm).workers(2).build();
                printPids(pool);
                Blocker.blockForever();
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void printPids(ProcessPool pool) {
        System.out.println("PIDS " + pool.workerPids().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        System.out.flush();
    }

}
