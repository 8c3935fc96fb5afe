package dev.procpool.objects;

import java.util.HashMap;
import java.util.Map;

/**
 * Permits, handed out in arrival order. It has no owner, but it remembers how many permits each process acquired
 * and has not released: when a process dies abnormally they come back.
 */
final class HostedSemaphore extends Hosted {
    private final int initial;
    private final boolean bounded;
    private long permits;
    private final Map<Long, Long> heldBy = new HashMap<>();

    HostedSemaphore(long id, Host host, int permits, boolean bounded, Host.Cell cell) {
        super(id, host);
        this.initial = permits;
        this.bounded = bounded;
        this.permits = permits;
    }

    @Override
    void handle(Op op, Reply reply, Deliveries out) {
        switch (op.code()) {
            case Codes.ACQUIRE -> {
                int n = (Integer) op.args()[0];
                if (permits >= n && !anyWaiting(Codes.ACQUIRE)) {
                    take(op.caller().process(), n);
                    out.done(reply, Boolean.TRUE);
                } else {
                    park(op, reply, out);
                }
            }
            case Codes.RELEASE_PERMITS -> {
                int n = (Integer) op.args()[0];
                if (bounded && permits + n > initial) {
                    throw new IllegalStateException("release above the initial " + initial + " permits of a bounded"
                            + " semaphore");
                }
                long process = op.caller().process();
                heldBy.computeIfPresent(process, (p, held) -> held > n ? held - n : null);
                permits += n;
                handOut(out);
                out.done(reply, null);
            }
            case Codes.AVAILABLE -> out.done(reply, (int) Math.min(Integer.MAX_VALUE, permits));
            default -> throw new IllegalArgumentException("no semaphore operation " + op.code());
        }
    }

    private void take(long process, int n) {
        permits -= n;
        heldBy.merge(process, (long) n, Long::sum);
    }

    private void handOut(Deliveries out) {
        for (Waiter waiter : waiting()) {
            int n = (Integer) waiter.op.args()[0];
            if (permits < n) {
                return; // first come, first served: a large request is not overtaken
            }
            take(waiter.op.caller().process(), n);
            satisfied(waiter, Boolean.TRUE, out);
        }
    }

    @Override
    Object timedOut(Op op) {
        return Boolean.FALSE;
    }

    @Override
    void gaveUp(Waiter waiter, Marker why, Deliveries out) {
        handOut(out); // a large request that gave up may have held smaller ones back
    }

    @Override
    void giveBack(long process, boolean abnormal, Deliveries out) {
        Long held = heldBy.remove(process);
        if (abnormal && held != null) {
            permits += held;
            handOut(out);
        }
        handOut(out);
    }
}
