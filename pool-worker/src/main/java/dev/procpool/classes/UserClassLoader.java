package dev.procpool.classes;

import dev.procpool.protocol.Services;
import dev.procpool.protocol.Uplink;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The class loader of the user's classes in a child JVM. The JVM itself boots from procpool's own jars only (so that
 * its class data sharing archive always applies); tasks, initializers, inputs and results load here: first from the
 * user classpath the parent sent with INIT, then, for what is not there (a class made at run time, one in a fat
 * jar's nested jar, a servlet container's or jshell's loader), from the parent over the pipe. Kryo's loader and the
 * context loader of every worker thread are this one.
 */
public final class UserClassLoader extends URLClassLoader {
    /** Long enough for a loaded parent; a parent that is gone fails the call at once. */
    private static final long CALL_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(2);
    private static final String REMOTE_PROTOCOL = "procpool-parent";

    static {
        registerAsParallelCapable(); // a class fetch waits for a reply: never hold one lock for the whole loader
    }

    /** Names the parent has answered null for: asked once, not at every lookup (ServiceLoader, say). */
    private final Set<String> parentLacks = ConcurrentHashMap.newKeySet();

    private UserClassLoader(URL[] urls, ClassLoader parent) {
        super("procpool-user", urls, parent);
    }

    /** A loader over {@code classpath} (entries separated by the path separator) with procpool's as its parent. */
    public static UserClassLoader of(String classpath, ClassLoader parent) {
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath == null ? new String[0] : classpath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                try {
                    urls.add(Path.of(entry).toUri().toURL());
                } catch (MalformedURLException | IllegalArgumentException e) {
                    System.err.println("procpool: classpath entry skipped: " + entry + ": " + e);
                }
            }
        }
        return new UserClassLoader(urls.toArray(URL[]::new), parent);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        try {
            return super.findClass(name);
        } catch (ClassNotFoundException notHere) {
            byte[] bytes = fromParent(Services.CLASS_BYTES, name);
            if (bytes == null) {
                throw new ClassNotFoundException(name + " (neither on the worker's classpath nor in the class"
                        + " loaders of the pool's tasks in the parent JVM)", notHere);
            }
            definePackageOf(name);
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    private void definePackageOf(String className) {
        int dot = className.lastIndexOf('.');
        if (dot > 0 && getDefinedPackage(className.substring(0, dot)) == null) {
            try {
                definePackage(className.substring(0, dot), null, null, null, null, null, null, null);
            } catch (IllegalArgumentException definedMeanwhile) {
                // another thread defined it first: as good
            }
        }
    }

    @Override
    public URL findResource(String name) {
        URL here = super.findResource(name);
        if (here != null) {
            return here;
        }
        byte[] bytes = fromParent(Services.RESOURCE_BYTES, name);
        return bytes == null ? null : inMemory(name, bytes);
    }

    @Override
    public Enumeration<URL> findResources(String name) throws IOException {
        List<URL> found = Collections.list(super.findResources(name));
        if (found.isEmpty()) {
            byte[] bytes = fromParent(Services.RESOURCE_BYTES, name);
            if (bytes != null) {
                found.add(inMemory(name, bytes));
            }
        }
        return Collections.enumeration(found);
    }

    /** The parent's answer, or null when it has none or this JVM has no parent connection. */
    private byte[] fromParent(int service, String name) {
        Uplink uplink = Uplink.current();
        String key = service + ":" + name;
        if (uplink == null || parentLacks.contains(key)) {
            return null;
        }
        try {
            byte[] bytes = (byte[]) uplink.call(service, name, CALL_TIMEOUT_NANOS);
            if (bytes == null) {
                parentLacks.add(key);
            }
            return bytes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (TimeoutException | RuntimeException e) { // the parent is gone, or its service failed
            System.err.println("procpool: cannot get " + name + " from the parent JVM: " + e);
            return null;
        }
    }

    private static URL inMemory(String name, byte[] bytes) {
        try {
            return new URL(REMOTE_PROTOCOL, null, -1, "/" + name, new URLStreamHandler() {
                @Override
                protected URLConnection openConnection(URL url) {
                    return new URLConnection(url) {
                        @Override
                        public void connect() {
                            connected = true;
                        }

                        @Override
                        public InputStream getInputStream() {
                            return new ByteArrayInputStream(bytes);
                        }
                    };
                }
            });
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
