package dev.procpool.examples;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedLock;
import dev.procpool.shared.SharedMap;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Port of section 7 (Manager dict) of reference/signalling-and-process-control.zh.txt, ten processes each storing
 * d[i] = i * 2, and of "数据共享" in reference/locks-and-queues.zh.txt, the same ten processes each taking one from
 * m_d['num'] = 100 under a lock (read, wait 0.1 s, write back: without the lock, updates would be lost).
 */
public final class ManagerDictExample {
    private ManagerDictExample() {
    }

    static void worker(SharedMap<Integer, Integer> d, int key, int value, SharedMap<String, Integer> md,
            SharedLock lock) {
        d.put(key, value);
        lock.lock(); // Python: with l2:
        try {
            int tmp = md.get("num");
            tmp -= 1;
            Children.sleep(100);
            md.put("num", tmp);
        } finally {
            lock.unlock();
        }
    }

    public static void main(String[] args) throws Exception {
        SharedMap<Integer, Integer> d = Shared.map();
        SharedMap<String, Integer> md = Shared.map();
        md.put("num", 100);
        SharedLock lock = Shared.lock();
        List<JvmProcess> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int key = i;
            jobs.add(JvmProcess.start(() -> worker(d, key, key * 2, md, lock)));
        }
        Children.joinAll(jobs);
        System.out.println("Results: " + new TreeMap<>(d));
        System.out.println("num: " + md.get("num"));
    }
}
