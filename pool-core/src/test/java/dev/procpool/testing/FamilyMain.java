package dev.procpool.testing;

import dev.procpool.JvmProcess;
import dev.procpool.worker.CurrentProcess;

/** A parent JVM with one JvmProcess child, for tests of what the child's fate is when the parent ends. */
public final class FamilyMain {
    private FamilyMain() {
    }

    /**
     * args: mode, checkpoint port. Prints "CHILD pid", waits for a line on stdin, then exits (mode "exit"), waits
     * to be killed ("kill-me") or prints "RETURNING" and returns from main.
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        boolean daemon = !args[0].equals("non-daemon") && !args[0].equals("exit");
        JvmProcess child = JvmProcess.builder().daemon(daemon).start(
                () -> Checkpoint.hold(port, Long.toString(CurrentProcess.pid()))); // returns when released
        Checkpoint.reach(port, "parent " + CurrentProcess.pid()); // after the child's start: the order is known
        System.out.println("CHILD " + child.pid());
        System.out.flush();
        // the test says when to go on: once the child is known to run its target
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
        if (args[0].equals("exit")) {
            System.exit(0);
        }
        if (args[0].equals("kill-me")) {
            Blocker.blockForever();
        }
        System.out.println("RETURNING");
        System.out.flush();
    }
}
