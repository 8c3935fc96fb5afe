package dev.procpool.cli;

import dev.procpool.worker.Task;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * A task for the end-to-end tests, loaded by the CLI from --classpath: "exit" ends the worker JVM, "hang" never
 * returns, "print" writes to System.out (which must not reach the protocol or the output); any line comes back in
 * upper case.
 */
public final class MisbehavingTask implements Task<String, String> {
    @Override
    public String apply(String line) throws InterruptedException {
        switch (line) {
            case "exit" -> {
                System.err.println("MisbehavingTask: exiting with 7");
                System.exit(7);
            }
            case "hang" -> new CountDownLatch(1).await();
            case "print" -> System.out.println("printed by a task");
            default -> {
            }
        }
        return line.toUpperCase(Locale.ROOT);
    }
}
