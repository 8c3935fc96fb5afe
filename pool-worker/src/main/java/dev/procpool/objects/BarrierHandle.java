package dev.procpool.objects;

import dev.procpool.shared.SharedBarrier;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A shared barrier. */
final class BarrierHandle implements SharedBarrier, Shareable {
    private final Ref ref;

    BarrierHandle(long id) {
        this.ref = new Ref(id, Codes.KIND_BARRIER);
    }

    @Override
    public Ref ref() {
        return ref;
    }

    @Override
    public int await() throws InterruptedException, BrokenBarrierException {
        try {
            return arrive(-1);
        } catch (TimeoutException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException,
            TimeoutException {
        return arrive(Ref.nanos(timeout, unit));
    }

    private int arrive(long nanos) throws InterruptedException, BrokenBarrierException, TimeoutException {
        Object answer;
        try {
            answer = ref.await(Codes.BARRIER_AWAIT, nanos);
        } catch (Channel.Failed failed) {
            if (failed.getCause() instanceof BrokenBarrierException broken) {
                throw broken;
            }
            throw Ref.unchecked(failed.getCause());
        }
        if (answer == Marker.TIMED_OUT) {
            throw new TimeoutException("the barrier's parties did not all arrive in time");
        }
        return (Integer) answer;
    }

    @Override
    public int getParties() {
        return (Integer) ref.now(Codes.PARTIES);
    }

    @Override
    public int getNumberWaiting() {
        return (Integer) ref.now(Codes.NUMBER_WAITING);
    }

    @Override
    public boolean isBroken() {
        return (Boolean) ref.now(Codes.IS_BROKEN);
    }

    @Override
    public void reset() {
        ref.now(Codes.RESET);
    }

    @Override
    public String toString() {
        return "SharedBarrier" + ref;
    }
}
