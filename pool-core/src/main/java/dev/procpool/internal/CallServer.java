package dev.procpool.internal;

import dev.procpool.objects.Family;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.RemoteThrowable;
import dev.procpool.protocol.Services;
import java.util.function.Consumer;

/**
 * Serves the calls children make to this JVM. A service answers through {@code reply}, at once or later (a call
 * that must wait is registered as a waiter and answered when it can be): the reader thread that hands it the call
 * never blocks.
 */
final class CallServer {
    /** One per JVM: the objects it hosts are shared by all of its pools and children. */
    static final CallServer INSTANCE = new CallServer();

    private CallServer() {
    }

    /** @param reply null when the caller waits for no answer (request id 0) */
    void serve(Message.Call call, Consumer<Message.Reply> reply) {
        if (call.service() == Services.OBJECTS && call.problem() == null) {
            Family.fromChild(call.argument(), reply);
            return;
        }
        if (reply == null) {
            return;
        }
        if (call.problem() != null) {
            reply.accept(failure(new IllegalArgumentException("the call's argument " + call.problem())));
            return;
        }
        switch (call.service()) {
            case Services.ECHO -> reply.accept(new Message.Reply(call.argument(), null));
            default -> reply.accept(failure(new UnsupportedOperationException("no service " + call.service())));
        }
    }

    private static Message.Reply failure(Throwable t) {
        return new Message.Reply(null, RemoteThrowable.of(t));
    }
}
