package dev.procpool.objects;

/**
 * A long in a word: changed by atomic instructions, by the processes that map the file themselves and here for
 * callers on the pipe path, so that both agree.
 */
final class HostedAtomicLong extends HostedOnWord {

    HostedAtomicLong(long id, Host host, long initial, Host.Cell cell) {
        super(id, host, cell);
        word.set(initial);
    }

    @Override
    void handle(Op op, Reply reply, Deliveries out) {
        Object[] args = op.args();
        Object answer = switch (op.code()) {
            case Codes.GET -> word.get();
            case Codes.SET_VALUE -> {
                word.set((Long) args[0]);
                yield null;
            }
            case Codes.ADD_AND_GET -> word.getAndAdd((Long) args[0]) + (Long) args[0];
            case Codes.GET_AND_ADD -> word.getAndAdd((Long) args[0]);
            case Codes.COMPARE_AND_SET -> word.cas((Long) args[0], (Long) args[1]);
            default -> throw new IllegalArgumentException("no atomic operation " + op.code());
        };
        out.done(reply, answer);
    }

    @Override
    Object timedOut(Op op) {
        return null;
    }
}
