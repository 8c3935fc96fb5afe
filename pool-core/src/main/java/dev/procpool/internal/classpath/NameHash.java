package dev.procpool.internal.classpath;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A file name made from the strings a cached file depends on (paths, sizes, times, options): two 64-bit FNV-1a
 * hashes with different offset bases. Not MessageDigest: starting the security providers costs a program's first
 * pool tens of milliseconds, and a collision of these names is harmless (the JVM checks a CDS archive against its
 * class path; an extracted jar's name also carries its source's name). Content is hashed with SHA-256 instead.
 */
public final class NameHash {
    private static final long PRIME = 0x100000001b3L;
    private long a = 0xcbf29ce484222325L;
    private long b = 0x84222325cbf29ce4L;

    /** Adds {@code text} and a separator, so that ("ab", "c") and ("a", "bc") differ. */
    public NameHash add(String text) {
        for (byte x : text.getBytes(StandardCharsets.UTF_8)) {
            mix(x);
        }
        mix((byte) 0);
        return this;
    }

    private void mix(byte x) {
        a = (a ^ (x & 0xff)) * PRIME;
        b = (b ^ (x & 0xff)) * PRIME;
    }

    public String hex() {
        return HexFormat.of().toHexDigits(a) + HexFormat.of().toHexDigits(b);
    }
}
