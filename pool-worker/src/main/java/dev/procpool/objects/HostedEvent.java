package dev.procpool.objects;

/**
 * A flag in a word (bit 0), with a waiters bit (bit 1) that only the root sets, by CAS on a word whose flag is
 * clear, while it parks a waiter. A set() that finds the waiters bit comes here instead of setting the flag
 * itself, so the root sets it and answers every waiter under its monitor: a set() followed at once by a clear()
 * still wakes those who waited, and none is lost, since the bit and the flag change in one word.
 */
final class HostedEvent extends HostedOnWord {
    static final long SET = 1;
    static final long WAITERS = 2;

    HostedEvent(long id, Host host, Host.Cell cell) {
        super(id, host, cell);
    }

    @Override
    void handle(Op op, Reply reply, Deliveries out) {
        switch (op.code()) {
            case Codes.SET -> {
                word.getAndOr(SET);
                wakeAll(out);
                out.done(reply, null);
            }
            case Codes.CLEAR_FLAG -> {
                word.getAndAnd(~SET);
                out.done(reply, null);
            }
            case Codes.IS_SET -> out.done(reply, (word.get() & SET) != 0);
            case Codes.WAIT_SET -> {
                if ((word.get() & SET) != 0) {
                    out.done(reply, Boolean.TRUE);
                } else if (park(op, reply, out) != null) {
                    while (true) { // the bit, unless a set() beat it
                        long w = word.get();
                        if ((w & SET) != 0) {
                            wakeAll(out);
                            break;
                        }
                        if ((w & WAITERS) != 0 || word.cas(w, w | WAITERS)) {
                            break;
                        }
                    }
                }
            }
            default -> throw new IllegalArgumentException("no event operation " + op.code());
        }
    }

    private void wakeAll(Deliveries out) {
        for (Waiter waiter : waiting()) {
            satisfied(waiter, Boolean.TRUE, out);
        }
        word.getAndAnd(~WAITERS);
    }

    @Override
    Object timedOut(Op op) {
        return Boolean.FALSE;
    }
}
