package dev.procpool.classpath;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

/**
 * Runs an application from a fat jar the way Spring Boot's launcher does: every library is a jar nested in the outer
 * jar ({@code lib/*.jar}), loaded by a class loader that reads them in memory and reports each class's code source as
 * {@code jar:file:/outer.jar!/lib/x.jar!/}. Nothing of the application or of procpool is on {@code java.class.path}.
 * Self-contained (its nested classes are copied with it).
 *
 * <p>Arguments: the outer jar, the main class, the main class's arguments.
 */
public final class NestedJarLauncher extends ClassLoader {
    private final Map<String, byte[]> entries = new HashMap<>();
    private final Map<String, ProtectionDomain> domains = new HashMap<>(); // by entry name

    private NestedJarLauncher(String outer) throws IOException {
        super("nested-jars", ClassLoader.getPlatformClassLoader());
        try (JarFile jar = new JarFile(outer)) {
            for (JarEntry nested : Collections.list(jar.entries())) {
                if (!nested.getName().startsWith("lib/") || !nested.getName().endsWith(".jar")) {
                    continue;
                }
                URL location = new URL("jar:file:" + outer + "!/" + nested.getName() + "!/");
                ProtectionDomain domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null,
                        this, null);
                try (JarInputStream in = new JarInputStream(jar.getInputStream(nested))) {
                    for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                        if (!e.isDirectory() && !entries.containsKey(e.getName())) {
                            entries.put(e.getName(), in.readAllBytes());
                            domains.put(e.getName(), domain);
                        }
                    }
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        IsolatedLauncher.run(new NestedJarLauncher(args[0]), args[1], Arrays.copyOfRange(args, 2, args.length));
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String entry = name.replace('.', '/') + ".class";
        byte[] bytes = entries.get(entry);
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length, domains.get(entry));
    }

    @Override
    protected URL findResource(String name) {
        byte[] bytes = entries.get(name);
        if (bytes == null) {
            return null;
        }
        try {
            return new URL("nested-mem", null, -1, "/" + name, new URLStreamHandler() {
                @Override
                protected URLConnection openConnection(URL url) {
                    return new URLConnection(url) {
                        @Override
                        public void connect() {
                        }

                        @Override
                        public InputStream getInputStream() {
                            return new ByteArrayInputStream(bytes);
                        }
                    };
                }
            });
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(java.util.List.of(url));
    }
}
