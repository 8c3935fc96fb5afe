package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.SharedList;
import dev.procpool.worker.CurrentProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the ported tutorial programs share. A child's System.out goes to the parent's log (stderr), so a child that
 * prints as in the tutorial also {@link #say says} the line in a shared list, and the parent prints the story in the
 * order the lines arrived.
 */
final class Children {
    /** How long a program waits for a child before it gives up. */
    static final Duration END = Duration.ofSeconds(60);

    private Children() {
    }

    /** Prints the line (to the parent's log in a child) and adds "name: line" to the story. */
    static void say(SharedList<String> story, String line) {
        if (CurrentProcess.parentPid().isPresent()) {
            System.out.println(line);
        }
        story.add(CurrentProcess.name() + ": " + line);
    }

    /** Prints the story, line by line, in the order the lines arrived. */
    static void print(SharedList<String> story) {
        new ArrayList<>(story).forEach(System.out::println);
    }

    static void joinAll(List<JvmProcess> processes) throws InterruptedException {
        for (JvmProcess process : processes) {
            if (!process.join(END)) {
                throw new IllegalStateException(process + " did not end within " + END);
            }
        }
    }

    static void joinAll(JvmProcess... processes) throws InterruptedException {
        joinAll(List.of(processes));
    }

    /** Python's time.sleep in the tutorial's programs, in milliseconds here. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
