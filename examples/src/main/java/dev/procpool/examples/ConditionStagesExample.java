package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedAtomicLong;
import dev.procpool.shared.SharedCondition;
import dev.procpool.shared.SharedList;
import dev.procpool.shared.SharedLock;
import dev.procpool.worker.CurrentProcess;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Port of section 5 (Condition) of reference/signalling-and-process-control.zh.txt: two stage_2 processes wait on a
 * condition until s1 has done stage 1 and calls signalAll() (Python's notify_all). Python's program counts on its
 * 1 s sleeps to have both waiting before s1 notifies; here the condition guards a flag, stage, so that a notify
 * before the wait is not lost (the rule for any condition variable), and the sleeps are 0.2 s.
 */
public final class ConditionStagesExample {
    private ConditionStagesExample() {
    }

    static void stage1(SharedLock lock, SharedCondition cond, SharedAtomicLong stage, SharedList<String> story) {
        String name = CurrentProcess.name();
        Children.say(story, "Starting " + name);
        lock.lock(); // Python: with cond:
        try {
            stage.set(2);
            Children.say(story, name + " done and ready for stage 2");
            cond.signalAll();
        } finally {
            lock.unlock();
        }
    }

    static void stage2(SharedLock lock, SharedCondition cond, SharedAtomicLong stage, SharedList<String> story)
            throws InterruptedException {
        String name = CurrentProcess.name();
        Children.say(story, "Starting " + name);
        lock.lock();
        try {
            while (stage.get() < 2) {
                if (!cond.await(Children.END.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("stage 1 did not end within " + Children.END);
                }
            }
            Children.say(story, name + " running");
        } finally {
            lock.unlock();
        }
    }

    public static void main(String[] args) throws Exception {
        SharedLock lock = Shared.reentrantLock(); // Python's Condition() is over an RLock
        SharedCondition condition = lock.newCondition();
        SharedAtomicLong stage = Shared.atomicLong(1);
        SharedList<String> story = Shared.list();
        List<JvmProcess> s2Clients = List.of(
                JvmProcess.builder().name("stage_2[1]").start(() -> stage2(lock, condition, stage, story)),
                JvmProcess.builder().name("stage_2[2]").start(() -> stage2(lock, condition, stage, story)));
        Children.sleep(200);
        JvmProcess s1 = JvmProcess.builder().name("s1").start(() -> stage1(lock, condition, stage, story));
        Children.joinAll(s1);
        Children.joinAll(s2Clients);
        Children.print(story);
    }
}
