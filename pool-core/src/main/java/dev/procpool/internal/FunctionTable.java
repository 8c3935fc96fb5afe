package dev.procpool.internal;

import dev.procpool.SerializationException;
import dev.procpool.objects.Transit;
import dev.procpool.internal.classpath.ClassSources;
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
    private final ClassSources classes;
    private long nextId = 1;

    FunctionTable(ClassLoader classLoader, ClassSources classes) {
        codec = new Codec(classLoader, Wire.DEFAULT_MAX_FRAME_BYTES);
        this.classes = classes;
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
            classes.add(task.getClass().getClassLoader()); // a worker may ask it for the task's classes
        }
        return ref;
    }
}
