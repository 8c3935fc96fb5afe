package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.procpool.internal.ExitPolicy.Exit;
import dev.procpool.internal.ExitPolicy.Kind;
import dev.procpool.internal.ExitPolicy.Outcome;
import dev.procpool.protocol.Values;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who is blamed for a worker's death and what runs again, decided from what is known at the exit. */
class ExitPolicyTest {
    private static final FunctionRef FUNCTION = new FunctionRef(1, new byte[0], new long[0]);
    private final Chunk first = chunk(1);
    private final Chunk second = chunk(2);
    private final Chunk third = chunk(3);
    private final List<Chunk> held = List.of(first, second, third);

    private static Chunk chunk(long id) {
        return new Chunk(id, FUNCTION, Values.one(id), id, null, 0);
    }

    /** A ready worker, not told to exit, that died with {@code exitCode}. */
    private static Exit died(int exitCode) {
        return new Exit(true, false, false, false, false, exitCode, false, null, false, false);
    }

    @Test
    void aCrashBlamesTheChunkItRanAndRequeuesTheRest() {
        Outcome outcome = ExitPolicy.decide(died(137), held);
        assertEquals(Kind.CRASHED, outcome.kind());
        assertSame(first, outcome.blamed());
        assertEquals(List.of(second, third), outcome.requeued());
    }

    @Test
    void aKillAimedAtTheRunningChunkBlamesIt() {
        Exit killed = new Exit(true, false, false, false, false, 137, true, first, false, false);
        Outcome outcome = ExitPolicy.decide(killed, held);
        assertEquals(Kind.KILLED, outcome.kind());
        assertSame(first, outcome.blamed());
    }

    @Test
    void aKillAimedAtAChunkThatFinishedJustBeforeSparesTheNext() {
        Exit killed = new Exit(true, false, false, false, false, 137, true, chunk(0), false, false);
        Outcome outcome = ExitPolicy.decide(killed, held);
        assertEquals(Kind.KILLED, outcome.kind());
        assertNull(outcome.blamed());
        assertEquals(held, outcome.requeued());
    }

    @Test
    void aWorkerThatAnnouncedItsRetirementBlamesNoOne() {
        Exit retired = new Exit(true, false, true, true, false, 0, false, null, false, false);
        Outcome outcome = ExitPolicy.decide(retired, List.of(second));
        assertEquals(Kind.RECYCLED, outcome.kind());
        assertEquals(List.of(second), outcome.requeued());
    }

    @Test
    void toldToEndWithNothingHeldIsAnOrderlyEndOrARecycle() {
        assertEquals(Kind.ENDED, ExitPolicy.decide(
                new Exit(true, false, false, false, true, 0, false, null, false, false), List.of()).kind());
        assertEquals(Kind.RECYCLED, ExitPolicy.decide(
                new Exit(true, false, true, false, true, 0, false, null, false, false), List.of()).kind());
    }

    @Test
    void aWorkerKilledBecauseAShutdownHookKeptItPastTheGracePeriodStillCountsAsRetired() {
        Exit overstayed = new Exit(true, false, true, false, true, 137, true, null, true, false);
        assertEquals(Kind.RECYCLED, ExitPolicy.decide(overstayed, List.of()).kind());
    }

    @Test
    void anEndWithABadExitCodeOrACorruptStreamIsACrash() {
        assertEquals(Kind.CRASHED, ExitPolicy.decide(
                new Exit(true, false, false, false, true, 3, false, null, false, false), List.of()).kind());
        assertEquals(Kind.CRASHED, ExitPolicy.decide(
                new Exit(true, false, false, false, true, 0, false, null, false, true), List.of()).kind());
    }

    @Test
    void terminationCancelsEverythingHeldAndStartFailuresBlameNothing() {
        Outcome terminated = ExitPolicy.decide(new Exit(true, true, false, false, false, 137, true, null, false,
                false), held);
        assertEquals(Kind.TERMINATED, terminated.kind());
        assertEquals(held, terminated.cancelled());
        Outcome notStarted = ExitPolicy.decide(new Exit(false, false, false, false, false, 1, false, null, false,
                false), List.of());
        assertEquals(Kind.START_FAILED, notStarted.kind());
        assertNull(notStarted.blamed());
    }
}
