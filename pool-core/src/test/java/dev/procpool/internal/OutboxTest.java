package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procpool.protocol.Codec;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.FrameType;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.Values;
import dev.procpool.protocol.Wire;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The end of a child's input once it said GOODBYE: after what was queued, once, and nothing written after it. */
class OutboxTest {
    private static final FunctionRef FUNCTION = new FunctionRef(1, new byte[0], new long[0]);

    /** The child's end of the pipe: what reached it, and how often it was closed. */
    private static final class Pipe extends ByteArrayOutputStream {
        int closes;

        @Override
        public void close() {
            closes++;
        }
    }

    private final Pipe pipe = new Pipe();
    private final Outbox outbox = new Outbox("test", new FrameWriter(pipe),
            new Codec(OutboxTest.class.getClassLoader(), Wire.DEFAULT_MAX_FRAME_BYTES), (chunk, failure) -> { }, 7);

    private List<FrameType> framesWritten() throws IOException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(pipe.toByteArray()), Wire.DEFAULT_MAX_FRAME_BYTES);
        List<FrameType> types = new ArrayList<>();
        for (var frame = reader.read(); frame != null; frame = reader.read()) {
            types.add(frame.type());
        }
        return types;
    }

    @Test
    void theInputEndsAfterWhatWasQueuedAndNothingIsWrittenAfterIt() throws IOException {
        Chunk chunk = new Chunk(1, FUNCTION, Values.packed(new Object[] {1, 2}), 0, null, 0);
        outbox.add(new Outbox.Item(Outbox.Kind.RUN, chunk));
        outbox.add(new Outbox.Item(Outbox.Kind.END, null));
        outbox.endInput();
        assertEquals(1, pipe.closes, "closed once GOODBYE came");
        assertEquals(List.of(FrameType.DEFINE, FrameType.RUN, FrameType.END), framesWritten(), "what was queued first");

        int written = pipe.size();
        outbox.add(new Outbox.Item(Outbox.Kind.REVOKE, chunk));
        outbox.flush();
        outbox.writeNow(new Message.ErrorText("too late"), 3);
        outbox.endInput();
        assertEquals(written, pipe.size(), "nothing after the end of the input");
        assertEquals(1, pipe.closes, "closed once");
    }
}
