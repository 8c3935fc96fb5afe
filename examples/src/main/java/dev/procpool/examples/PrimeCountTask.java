package dev.procpool.examples;

import dev.procpool.worker.Task;

/**
 * The number of primes in a range. The input line is {@code "from to"} (both inclusive) or {@code "n"} (the primes
 * up to n); anything else fails with {@link NumberFormatException} or {@link IllegalArgumentException}, which the
 * CLI demo uses to show error reporting. Plain trial division on purpose: it is CPU work, which is what a process
 * pool is for.
 */
public final class PrimeCountTask implements Task<String, String> {
    @Override
    public String apply(String line) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length > 2 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("expected \"n\" or \"from to\", got \"" + line + "\"");
        }
        long from = parts.length == 2 ? Long.parseLong(parts[0]) : 0;
        long to = Long.parseLong(parts[parts.length - 1]);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("expected 0 <= from <= to, got \"" + line + "\"");
        }
        return Long.toString(countPrimes(from, to));
    }

    static long countPrimes(long from, long to) {
        long count = 0;
        for (long n = from; n <= to; n++) {
            if (isPrime(n)) {
                count++;
            }
        }
        return count;
    }

    static boolean isPrime(long n) {
        if (n < 4) {
            return n >= 2;
        }
        if (n % 2 == 0 || n % 3 == 0) {
            return false;
        }
        for (long d = 5; d * d <= n; d += 6) {
            if (n % d == 0 || n % (d + 2) == 0) {
                return false;
            }
        }
        return true;
    }
}
