package dev.procpool.objects;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;

/**
 * A cyclic barrier. As in CyclicBarrier, a party that times out, is interrupted or dies breaks it for the others
 * (BrokenBarrierException) until reset().
 */
final class HostedBarrier extends Hosted {
    private final int parties;
    private final List<Waiter> arrived = new ArrayList<>();
    private boolean broken;

    HostedBarrier(long id, Host host, int parties) {
        super(id, host);
        this.parties = parties;
    }

    @Override
    void handle(Op op, Reply reply, Deliveries out) {
        switch (op.code()) {
            case Codes.BARRIER_AWAIT -> {
                if (broken) {
                    out.failed(reply, new BrokenBarrierException());
                    return;
                }
                int index = parties - 1 - arrived.size();
                if (index == 0) {
                    for (Waiter waiter : new ArrayList<>(arrived)) {
                        satisfied(waiter, parties - 1 - arrived.indexOf(waiter), out);
                    }
                    arrived.clear();
                    out.done(reply, 0);
                } else {
                    Waiter waiter = park(op, reply, out);
                    if (waiter != null) {
                        arrived.add(waiter);
                    }
                }
            }
            case Codes.PARTIES -> out.done(reply, parties);
            case Codes.NUMBER_WAITING -> out.done(reply, arrived.size());
            case Codes.IS_BROKEN -> out.done(reply, broken);
            case Codes.RESET -> {
                breakIt(null, out);
                broken = false;
                out.done(reply, null);
            }
            default -> throw new IllegalArgumentException("no barrier operation " + op.code());
        }
    }

    /** Every party still waiting fails with BrokenBarrierException; the barrier stays broken until reset. */
    private void breakIt(Waiter cause, Deliveries out) {
        broken = true;
        for (Waiter waiter : new ArrayList<>(arrived)) {
            if (waiter != cause) {
                failWaiter(waiter, new BrokenBarrierException(), out);
            }
        }
        arrived.clear();
    }

    /** A marker, not a TimeoutException: the answer may travel to a child, and a Throwable cannot be a value. */
    @Override
    Object timedOut(Op op) {
        return Marker.TIMED_OUT;
    }

    @Override
    void gaveUp(Waiter waiter, Marker why, Deliveries out) {
        if (waiter.code() == Codes.BARRIER_AWAIT) {
            arrived.remove(waiter);
            breakIt(waiter, out);
        }
    }
}
