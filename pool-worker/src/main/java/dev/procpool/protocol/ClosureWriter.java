package dev.procpool.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * Kryo's closure serializer, except that it finds a lambda's capturing class with the Kryo's class loader. Kryo's
 * own looks it up with {@code Class.forName(name)}, from Kryo's loader: in a child JVM the user's classes live in
 * the user class loader, below Kryo's, so every lambda written there (a JvmProcess's child's target, a lambda in a
 * task's result or in a shared queue) failed with "Error writing closure". The format is Kryo's: its read is used.
 */
final class ClosureWriter extends ClosureSerializer {
    @Override
    public void write(Kryo kryo, Output output, Object closure) {
        SerializedLambda lambda = serializedForm(closure);
        int captured = lambda.getCapturedArgCount();
        output.writeVarInt(captured, true);
        for (int i = 0; i < captured; i++) {
            kryo.writeClassAndObject(output, lambda.getCapturedArg(i));
        }
        String capturing = lambda.getCapturingClass().replace('/', '.');
        try {
            kryo.writeClass(output, Class.forName(capturing, false, closure.getClass().getClassLoader()));
        } catch (ClassNotFoundException e) {
            throw new KryoException("Error writing closure: its capturing class " + capturing + " is not found", e);
        }
        output.writeString(lambda.getFunctionalInterfaceClass());
        output.writeString(lambda.getFunctionalInterfaceMethodName());
        output.writeString(lambda.getFunctionalInterfaceMethodSignature());
        output.writeVarInt(lambda.getImplMethodKind(), true);
        output.writeString(lambda.getImplClass());
        output.writeString(lambda.getImplMethodName());
        output.writeString(lambda.getImplMethodSignature());
        output.writeString(lambda.getInstantiatedMethodType());
    }

    /** The form a serializable lambda's class makes of it (the JDK's writeReplace, which Kryo calls too). */
    private static SerializedLambda serializedForm(Object closure) {
        try {
            Method writeReplace = closure.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            return (SerializedLambda) writeReplace.invoke(closure);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new KryoException("Error writing closure: " + closure.getClass().getName()
                    + " is not a serializable lambda", e);
        }
    }
}
