package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.LeakAudit;
import dev.procpool.worker.Task;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a worker keeps after a big frame: it reads through a native buffer of bounded size, not one per frame size. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class WorkerMemoryTest {
    private static final int MIB = 1 << 20;

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    @Test
    void aBigInputLeavesNoNativeBufferOfItsSizeInTheWorker() {
        ProcessPool pool = audit.track(ProcessPool.create(1));
        Task<byte[], Long> directBytes = input -> ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
                .stream().filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getTotalCapacity)
                .sum();
        for (int i = 0; i < 3; i++) { // the worker's two serving threads take turns at reading
            long direct = pool.apply(directBytes, new byte[32 * MIB]);
            assertTrue(direct < 4 * MIB, "native buffer bytes in the worker after a 32 MiB input: " + direct);
        }
    }
}
