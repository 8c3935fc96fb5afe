package dev.procpool.objects;

import dev.procpool.protocol.Message;
import dev.procpool.protocol.Rebuild;
import dev.procpool.protocol.Services;
import dev.procpool.protocol.Uplink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * How an operation reaches the root: in the root itself, straight to the {@link Host} on the calling thread (no
 * I/O); in a child, as a CALL over its parent's pipes, answered to the calling thread. An interrupted caller asks
 * the root to cancel its wait, then takes whatever answer comes: CANCELLED, or the result that beat the cancel
 * (which it then keeps, with its interrupt flag set), so nothing is lost either way.
 */
final class Channel {
    private Channel() {
    }

    /** The answer, or the failure it ended with thrown as {@link Failed}. */
    static Object call(Op op) {
        return Self.isRoot() ? local(op) : remote(op);
    }

    /** An operation whose answer nobody waits for; sent in order with this thread's calls. */
    static void tell(Op op) {
        if (Self.isRoot()) {
            Host.INSTANCE.serve(op, Discard.INSTANCE);
        } else {
            Uplink.current().tell(Services.OBJECTS, op);
        }
    }

    private static Object local(Op op) {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        Host.INSTANCE.serve(op, new Reply() {
            @Override
            public void done(Object value) {
                answer.complete(value);
            }

            @Override
            public void failed(Throwable failure) {
                answer.completeExceptionally(failure);
            }
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return answer.get();
                } catch (InterruptedException e) {
                    if (!interrupted) {
                        Host.INSTANCE.serve(cancel(op), Discard.INSTANCE);
                    }
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new Failed(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Object remote(Op op) {
        Uplink uplink = Uplink.current();
        long id = uplink.start(Services.OBJECTS, op);
        try {
            Message.Reply reply;
            try {
                reply = uplink.finish(id, -1, true);
            } catch (InterruptedException e) {
                uplink.tell(Services.OBJECTS, cancel(op));
                reply = uplink.finish(id, -1, false);
                Thread.currentThread().interrupt();
            }
            if (reply.failure() != null) {
                throw new Failed(Rebuild.of(reply.failure(), Channel.class.getClassLoader(), Rebuild.PLAIN));
            }
            return reply.value();
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("unreachable: an uninterruptible wait without timeout ended", e);
        } finally {
            uplink.forget(id);
        }
    }

    private static Op cancel(Op op) {
        return new Op(op.object(), Codes.CANCEL, new Object[] {op.id()}, 0, op.caller(), 0, Op.NONE);
    }

    /** The failure an operation ended with, to be rethrown by the handle as what it is. */
    static final class Failed extends RuntimeException {
        Failed(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }

    /** For answers nobody waits for. */
    enum Discard implements Reply {
        INSTANCE;

        @Override
        public void done(Object value) {
        }

        @Override
        public void failed(Throwable failure) {
        }
    }
}
