package dev.procpool.cli;

/** Bad options or input that make the run impossible; reported as one line, exit code 2, no stack trace. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
