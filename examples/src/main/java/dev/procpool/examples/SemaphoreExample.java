package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedAtomicLong;
import dev.procpool.shared.SharedList;
import dev.procpool.shared.SharedSemaphore;
import java.util.ArrayList;
import java.util.List;

/**
 * Port of section 6 (Semaphore) of reference/signalling-and-process-control.zh.txt: Semaphore(2) and five
 * processes, process i holding a permit for i * 2 s (i * 0.2 s here): never more than two inside at once, which
 * the processes count in a shared counter.
 */
public final class SemaphoreExample {
    private SemaphoreExample() {
    }

    static void worker(SharedSemaphore s, long millis, SharedAtomicLong inside, SharedAtomicLong most,
            SharedList<String> story) throws InterruptedException {
        s.acquire();
        long now = inside.incrementAndGet();
        for (long seen = most.get(); now > seen && !most.compareAndSet(seen, now); seen = most.get()) {
            // another process raised it first: compare again
        }
        Children.say(story, "acquire");
        Children.sleep(millis);
        Children.say(story, "release");
        inside.decrementAndGet();
        s.release();
    }

    public static void main(String[] args) throws Exception {
        SharedSemaphore s = Shared.semaphore(2);
        SharedAtomicLong inside = Shared.atomicLong(0);
        SharedAtomicLong most = Shared.atomicLong(0);
        SharedList<String> story = Shared.list();
        List<JvmProcess> processes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long millis = i * 200L;
            processes.add(JvmProcess.builder().name("Process-" + (i + 1))
                    .start(() -> worker(s, millis, inside, most, story)));
        }
        Children.joinAll(processes);
        Children.print(story);
        System.out.println("most processes inside at once: " + most.get());
        System.out.println("permits available at the end: " + s.availablePermits());
    }
}
