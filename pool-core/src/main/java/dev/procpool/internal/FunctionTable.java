package dev.procpool.internal;

import dev.procpool.SerializationException;
import dev.procpool.objects.Transit;
import dev.procpool.protocol.Codec;
import dev.procpool.protocol.Wire;
import dev.procpool.protocol.WireException;
import dev.procpool.worker.Task;
import java.util.Map;
import java.util.WeakHashMap;

/** Serializes each distinct task object once and remembers its bytes for as long as the task object lives. */
final class FunctionTable {
    private final Map<Task<?, ?>, FunctionRef> byTask = new WeakHashMap<>();
    private final Codec codec;
    private long nextId = 1;

    FunctionTable(ClassLoader classLoader) {
        codec = new Codec(classLoader, Wire.DEFAULT_MAX_FRAME_BYTES);
    }

    synchronized FunctionRef of(Task<?, ?> task) {
        FunctionRef ref = byTask.get(task);
        if (ref == null) {
            try {
                Transit.Serialized function = Transit.serialize(codec, task);
                ref = new FunctionRef(nextId++, function.bytes(), function.handles());
            } catch (WireException e) {
                throw new SerializationException("task " + e.getMessage(), e);
            }
            byTask.put(task, ref);
        }
        return ref;
    }
}
