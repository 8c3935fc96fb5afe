package dev.procpool.internal;

import dev.procpool.SerializationException;
import dev.procpool.internal.classpath.BootClasspath;
import dev.procpool.internal.classpath.ClassSources;
import dev.procpool.objects.Transit;
import dev.procpool.protocol.Codec;
import dev.procpool.protocol.Wire;
import dev.procpool.protocol.WireException;
import dev.procpool.worker.CurrentProcess;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** What starting children (a pool's workers, a JvmProcess) checks and prepares in the caller's thread. */
public final class Launching {
    private Launching() {
    }

    /** Python's rule: a daemon process has no children. */
    public static void refuseInDaemon(String what) {
        if (CurrentProcess.isDaemon()) {
            throw new IllegalStateException("a daemon JvmProcess (" + CurrentProcess.name() + ") may not start "
                    + what);
        }
    }

    /** A child's command line and where its user classes come from. */
    public record Classpaths(WorkerCommand command, ClassSources classes) {
    }

    /**
     * Children boot from procpool's own jars, followed by the user's classpath when it is all jars (see
     * {@link ClassSources#jarsForChildClasspath()}); what else they need of the user's loads through their own class
     * loader (see {@link BootClasspath}). When procpool's jars cannot be found, from one classpath as before.
     *
     * @param configured the user's classpath as given to a builder, or null for the default
     * @param codeLoader the class loader of the code the child runs first (an initializer, a target), or null
     */
    public static Classpaths classpaths(Path java, List<String> jvmArgs, String configured, boolean classDataSharing,
                                        ClassLoader loader, ClassLoader codeLoader) {
        BootClasspath boot = BootClasspath.get();
        ClassSources classes = new ClassSources(loader, configured, boot != null ? boot.origins() : Set.of());
        classes.add(codeLoader);
        String childClasspath;
        if (boot == null) {
            childClasspath = configured != null ? configured : System.getProperty("java.class.path");
        } else {
            String userJars = classes.jarsForChildClasspath();
            childClasspath = userJars == null ? boot.asClasspath()
                    : boot.asClasspath() + File.pathSeparator + userJars;
        }
        return new Classpaths(new WorkerCommand(java, jvmArgs, childClasspath, classDataSharing), classes);
    }

    /** The code a child runs (an initializer, a target), serialized now, with the shared objects it refers to. */
    public static Transit.Serialized code(ClassLoader loader, Object code, String what) {
        if (code == null) {
            return new Transit.Serialized(null, new long[0]);
        }
        try {
            return Transit.serialize(new Codec(loader, Wire.DEFAULT_MAX_FRAME_BYTES), code);
        } catch (WireException e) {
            throw new SerializationException(what + " " + e.getMessage(), e);
        }
    }
}
