package dev.procpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The CLI's pieces that need no worker JVM. */
class CliPartsTest {
    private static LineReader reader(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new LineReader(new ByteArrayInputStream(bytes), bytes.length);
    }

    @Test
    void linesEndAtLfOrCrLfAndTheLastNeedsNone() {
        List<String> lines = new ArrayList<>();
        reader("a\r\nb\n\nütf-8 ✓\nlast").forEachRemaining(lines::add);
        assertEquals(List.of("a", "b", "", "ütf-8 ✓", "last"), lines);
        assertFalse(reader("").hasNext());
    }

    @Test
    void theLineCountIsEstimatedFromTheBytesReadThenExact() {
        LineReader lines = reader("0123456789\n".repeat(4));
        assertEquals(-1, lines.estimatedLines());
        lines.next();
        assertEquals(4, lines.estimatedLines());
        lines.forEachRemaining(line -> { });
        assertEquals(4, lines.estimatedLines());
    }

    @Test
    void durations() {
        DurationConverter converter = new DurationConverter();
        assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
        assertEquals(Duration.ofSeconds(90), converter.convert("90"));
        assertEquals(Duration.ofMinutes(5), converter.convert("5m"));
        assertEquals(Duration.ofHours(2), converter.convert("2h"));
        assertEquals(Duration.ofSeconds(90), converter.convert("PT1M30S"));
        assertThrows(TypeConversionException.class, () -> converter.convert("0s"));
        assertThrows(TypeConversionException.class, () -> converter.convert("5x"));
    }
}
