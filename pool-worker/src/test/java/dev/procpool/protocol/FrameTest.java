package dev.procpool.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameTest {
    private static byte[] frames(byte[]... payloads) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes);
        long id = 1;
        for (byte[] payload : payloads) {
            writer.write(FrameType.RESULT, id++, payload, payload.length);
        }
        writer.flush();
        return bytes.toByteArray();
    }

    @Test
    void framesRoundTripWithTypeIdAndPayload() throws IOException {
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 7);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(frames(new byte[0], "abc".getBytes(), big)),
                Wire.DEFAULT_MAX_FRAME_BYTES);
        Frame empty = reader.read();
        assertEquals(FrameType.RESULT, empty.type());
        assertEquals(1, empty.requestId());
        assertEquals(0, empty.payload().length);
        assertArrayEquals("abc".getBytes(), reader.read().payload());
        Frame third = reader.read();
        assertEquals(3, third.requestId());
        assertArrayEquals(big, third.payload());
        assertNull(reader.read(), "clean end between frames");
    }

    @Test
    void foreignBytesAreReportedWithTheFirstBytesShown() {
        byte[] garbage = "Hello from native code, not a frame at all\n".getBytes(StandardCharsets.US_ASCII);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(garbage), Wire.DEFAULT_MAX_FRAME_BYTES);
        CorruptStreamException e = assertThrows(CorruptStreamException.class, reader::read);
        assertTrue(e.getMessage().contains("48 65 6c 6c 6f"), e.getMessage());
        assertTrue(e.getMessage().contains("Hello from native"), e.getMessage());
    }

    @Test
    void bytesInterleavedInsideAFrameFailTheChecksum() throws IOException {
        byte[] stream = frames("the real payload".getBytes());
        stream[Wire.HEADER_BYTES + 2] = 'X'; // a foreign byte landed inside the payload
        FrameReader reader = new FrameReader(new ByteArrayInputStream(stream), Wire.DEFAULT_MAX_FRAME_BYTES);
        CorruptStreamException e = assertThrows(CorruptStreamException.class, reader::read);
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void aFrameAboveTheMaximumIsRefusedBeforeItsPayloadIsAllocated() throws IOException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(frames(new byte[100])), 99);
        CorruptStreamException e = assertThrows(CorruptStreamException.class, reader::read);
        assertTrue(e.getMessage().contains("exceeds the maximum of 99"), e.getMessage());
    }

    @Test
    void aStreamThatEndsInsideAFrameIsAnEofError() throws IOException {
        byte[] stream = frames("payload".getBytes());
        FrameReader reader = new FrameReader(new ByteArrayInputStream(Arrays.copyOf(stream, stream.length - 3)),
                Wire.DEFAULT_MAX_FRAME_BYTES);
        assertThrows(EOFException.class, reader::read);
    }
}
