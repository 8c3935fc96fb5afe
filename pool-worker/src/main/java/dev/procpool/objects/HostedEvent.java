package dev.procpool.objects;

/** A flag; waiters are answered when it is set. */
final class HostedEvent extends Hosted {
    private boolean set;

    HostedEvent(long id, Host host) {
        super(id, host);
    }

    @Override
    void handle(Op op, Reply reply, Deliveries out) {
        switch (op.code()) {
            case Codes.SET -> {
                set = true;
                for (Waiter waiter : waiting()) {
                    satisfied(waiter, Boolean.TRUE, out);
                }
                out.done(reply, null);
            }
            case Codes.CLEAR_FLAG -> {
                set = false;
                out.done(reply, null);
            }
            case Codes.IS_SET -> out.done(reply, set);
            case Codes.WAIT_SET -> {
                if (set) {
                    out.done(reply, Boolean.TRUE);
                } else {
                    park(op, reply, out);
                }
            }
            default -> throw new IllegalArgumentException("no event operation " + op.code());
        }
    }

    @Override
    Object timedOut(Op op) {
        return Boolean.FALSE;
    }
}
