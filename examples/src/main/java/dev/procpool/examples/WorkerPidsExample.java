package dev.procpool.examples;

import dev.procpool.ProcessPool;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Port of the process-id programs in reference/concurrency-2.zh.txt ("进程相关方法": current_process().pid,
 * os.getpid(), os.getppid()) and reference/locks-and-queues.zh.txt (f1 printing its pid and its parent's pid), with
 * pool workers instead of hand-made processes: every worker is a child of this JVM, and {@link
 * ProcessPool#workerPids()} lists them.
 */
public final class WorkerPidsExample {
    private WorkerPidsExample() {
    }

    /** What a task learns about the process it runs in. */
    record WhereAmI(long pid, long parentPid) {
        static WhereAmI here() {
            ProcessHandle self = ProcessHandle.current();
            return new WhereAmI(self.pid(), self.parent().map(ProcessHandle::pid).orElse(-1L));
        }
    }

    public static void main(String[] args) {
        long supervisorPid = ProcessHandle.current().pid();
        System.out.println("supervisor pid: " + supervisorPid);
        try (ProcessPool pool = ProcessPool.create(2)) {
            List<Long> workerPids = pool.workerPids();
            System.out.println("worker pids: " + workerPids);
            List<WhereAmI> answers = pool.map(i -> WhereAmI.here(), IntStream.range(0, 6).boxed().toList(), 1);
            for (int i = 0; i < answers.size(); i++) {
                System.out.println("task " + i + ": pid " + answers.get(i).pid() + ", parent pid "
                        + answers.get(i).parentPid());
            }
            System.out.println("every task ran in a worker of this pool: "
                    + answers.stream().allMatch(a -> workerPids.contains(a.pid())));
            System.out.println("every worker is a child of this JVM: "
                    + answers.stream().allMatch(a -> a.parentPid() == supervisorPid));
        }
    }
}
