package dev.procpool.examples;

import dev.procpool.worker.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The number of words (runs of non-whitespace) in a UTF-8 text file. The input line is the file's path; a relative
 * path is resolved against the working directory, which workers share with the program that started the pool. A
 * missing file fails with {@link java.nio.file.NoSuchFileException}.
 */
public final class WordCountTask implements Task<String, String> {
    @Override
    public String apply(String path) throws IOException {
        long words = 0;
        try (BufferedReader reader = Files.newBufferedReader(Path.of(path.strip()), StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                words += countWords(line);
            }
        }
        return Long.toString(words);
    }

    static int countWords(String line) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            boolean space = Character.isWhitespace(line.charAt(i));
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return words;
    }
}
