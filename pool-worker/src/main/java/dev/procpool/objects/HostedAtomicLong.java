package dev.procpool.objects;

/** A long changed only under the monitor. */
final class HostedAtomicLong extends Hosted {
    private long value;

    HostedAtomicLong(long id, Host host, long initial) {
        super(id, host);
        this.value = initial;
    }

    @Override
    void handle(Op op, Reply reply, Deliveries out) {
        Object[] args = op.args();
        Object answer = switch (op.code()) {
            case Codes.GET -> value;
            case Codes.SET_VALUE -> {
                value = (Long) args[0];
                yield null;
            }
            case Codes.ADD_AND_GET -> value += (Long) args[0];
            case Codes.GET_AND_ADD -> {
                long before = value;
                value += (Long) args[0];
                yield before;
            }
            case Codes.COMPARE_AND_SET -> {
                boolean swapped = value == (Long) args[0];
                if (swapped) {
                    value = (Long) args[1];
                }
                yield swapped;
            }
            default -> throw new IllegalArgumentException("no atomic operation " + op.code());
        };
        out.done(reply, answer);
    }

    @Override
    Object timedOut(Op op) {
        return null;
    }
}
