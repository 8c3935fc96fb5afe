package dev.procpool.examples;

import dev.procpool.worker.Task;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 of the line's UTF-8 bytes, as 64 lowercase hex digits. */
public final class Sha256Task implements Task<String, String> {
    @Override
    public String apply(String line) throws NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }
}
