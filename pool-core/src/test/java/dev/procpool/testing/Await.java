package dev.procpool.testing;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.procpool.ProcessPool;
import dev.procpool.TaskFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits that fail the test instead of hanging it: a pool that never answers is the bug these tests look for. The
 * limit is generous (a loaded 2-core machine), and a hang costs one limit, not the build.
 */
public final class Await {
    /** How long a task's answer may take. */
    public static final Duration ANSWER = Duration.ofSeconds(60);

    private Await() {
    }

    public static <V> V resultOf(CompletableFuture<V> future, String what) throws InterruptedException {
        try {
            return future.get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + ": no answer within " + ANSWER + " (the pool hangs)", e);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** What the future failed with; fails the test if it succeeds or does not answer in time. */
    public static Throwable failureOf(CompletableFuture<?> future, String what) throws InterruptedException {
        Object value;
        try {
            value = future.get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + ": no answer within " + ANSWER + " (the pool hangs)", e);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError(what + " succeeded with " + value + ", expected a failure");
    }

    public static <X extends Throwable> X failureOf(CompletableFuture<?> future, Class<X> type, String what)
            throws InterruptedException {
        Throwable failure = failureOf(future, what);
        if (!type.isInstance(failure)) {
            throw new AssertionError(what + ": expected " + type.getSimpleName() + ", got " + failure, failure);
        }
        return type.cast(failure);
    }

    /** close() must return within the limit; if not, the test fails and close() is interrupted (it terminates). */
    public static void closeWithin(ProcessPool pool, Duration limit) {
        assertTimeoutPreemptively(limit, pool::close, () -> "close() did not return within " + limit);
    }

    /**
     * Every outcome of an imap, within {@link #ANSWER}: a result as itself, a failed item as "failed i" after
     * checking that its cause is of the expected type and its message contains {@code mustName}.
     */
    public static List<Object> outcomes(Iterator<?> results, Class<? extends Throwable> causeType, String mustName) {
        return assertTimeoutPreemptively(ANSWER, () -> {
            List<Object> seen = new ArrayList<>();
            while (results.hasNext()) {
                try {
                    seen.add(results.next());
                } catch (TaskFailedException e) {
                    Throwable cause = e.getCause();
                    if (!causeType.isInstance(cause) || !String.valueOf(cause.getMessage()).contains(mustName)) {
                        throw new AssertionError("item " + e.index() + " after " + seen + ": expected a "
                                + causeType.getSimpleName() + " naming " + mustName + ", got " + cause, cause);
                    }
                    seen.add("failed " + e.index());
                }
            }
            return seen;
        }, () -> "the iteration did not end within " + ANSWER + " (the pool hangs)");
    }
}
