package dev.procpool.objects;

import dev.procpool.protocol.Message;
import dev.procpool.protocol.RemoteThrowable;
import dev.procpool.protocol.Services;
import dev.procpool.protocol.Uplink;
import java.util.function.Consumer;

/**
 * What the launching side tells the shared objects: calls from its children (served here in the root, passed on
 * to the root from a middle JVM), and the end of a child.
 */
public final class Family {
    private Family() {
    }

    /** Serves (or passes up) an operation a child sent; {@code reply} is null when the child waits for no answer. */
    public static void fromChild(Object argument, Consumer<Message.Reply> reply) {
        if (!(argument instanceof Op op)) {
            answer(reply, null, new IllegalArgumentException("not a shared-object operation: " + argument));
            return;
        }
        if (Self.isRoot()) {
            Host.INSTANCE.serve(op, new Reply() {
                @Override
                public void done(Object value) {
                    answer(reply, value, null);
                }

                @Override
                public void failed(Throwable failure) {
                    answer(reply, null, failure);
                }
            });
            return;
        }
        Uplink uplink = Uplink.current();
        if (reply == null) {
            uplink.tell(Services.OBJECTS, op);
            return;
        }
        long id = uplink.start(Services.OBJECTS, op);
        uplink.whenAnswered(id, reply);
    }

    /** A child of this JVM ended; {@code abnormal}: killed, halted, crashed (no orderly shutdown). */
    public static void childEnded(long token, boolean abnormal) {
        if (Self.isRoot()) {
            Host.INSTANCE.processGone(token, abnormal);
        } else if (Uplink.current() != null) {
            Uplink.current().tell(Services.OBJECTS, new Op(0, Codes.GONE, new Object[] {token, abnormal}, 0,
                    Caller.current(), 0, Op.NONE));
        }
    }

    private static void answer(Consumer<Message.Reply> reply, Object value, Throwable failure) {
        if (reply != null) {
            reply.accept(new Message.Reply(value, failure == null ? null : RemoteThrowable.of(failure)));
        }
    }
}
