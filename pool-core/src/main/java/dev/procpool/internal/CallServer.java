package dev.procpool.internal;

import dev.procpool.internal.classpath.ClassSources;
import dev.procpool.objects.Family;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.RemoteThrowable;
import dev.procpool.protocol.Services;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Serves the calls children make to this JVM. A service answers through {@code reply}, at once or later (a call
 * that must wait is registered as a waiter and answered when it can be): the reader thread that hands it the call
 * never blocks. Shared-object operations go to the family's objects (one set per JVM); class requests to the
 * class loaders of the pool or process that started the child.
 */
final class CallServer {
    private final ClassSources classes;

    /** @param classes where classes a child lacks come from; null: nowhere (the child has the whole classpath) */
    CallServer(ClassSources classes) {
        this.classes = classes;
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
            case Services.CLASS_BYTES -> reply.accept(resource(call, ((String) call.argument()).replace('.', '/')
                    + ".class"));
            case Services.RESOURCE_BYTES -> reply.accept(resource(call, (String) call.argument()));
            default -> reply.accept(failure(new UnsupportedOperationException("no service " + call.service())));
        }
    }

    /** Read now, on the reader: a class file from a loader is a quick local read, and the worker waits for it. */
    private Message.Reply resource(Message.Call call, String name) {
        if (!(call.argument() instanceof String)) {
            return failure(new IllegalArgumentException("expected a name, got " + call.argument()));
        }
        if (classes == null) {
            return new Message.Reply(null, null);
        }
        try {
            return new Message.Reply(classes.bytes(name), null);
        } catch (IOException | RuntimeException e) {
            return failure(e);
        }
    }

    private static Message.Reply failure(Throwable t) {
        return new Message.Reply(null, RemoteThrowable.of(t));
    }
}
