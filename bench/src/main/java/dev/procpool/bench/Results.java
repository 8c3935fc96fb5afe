package dev.procpool.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** JSON lines from the anchors or SideBySide, queried by measurement name and field. */
public final class Results {
    private final List<Map<String, Object>> records = new ArrayList<>();

    public static Results read(Path... files) throws IOException {
        Results results = new Results();
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                results.add(line);
            }
        }
        return results;
    }

    /** Adds one line; lines that are not JSON objects (log lines) are ignored. */
    @SuppressWarnings("unchecked")
    public void add(String line) {
        String trimmed = line.trim();
        if (trimmed.startsWith("{")) {
            records.add((Map<String, Object>) Json.parse(trimmed));
        }
    }

    /** Median of a numeric field over every record whose name matches the regex; NaN when there is none. */
    public double median(String nameRegex, String field) {
        double[] values = values(nameRegex, field);
        if (values.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(values);
        return Stats.median(values);
    }

    public double[] values(String nameRegex, String field) {
        Pattern name = Pattern.compile(nameRegex);
        return records.stream()
                .filter(r -> r.get("name") instanceof String s && name.matcher(s).matches())
                .map(r -> r.get(field))
                .filter(v -> v instanceof Double)
                .mapToDouble(v -> (Double) v)
                .toArray();
    }

    /** The names of records that report a failure (SideBySide's "...error" lines). */
    public List<String> errors() {
        List<String> errors = new ArrayList<>();
        for (Map<String, Object> r : records) {
            if (r.containsKey("error")) {
                errors.add(r.get("name") + ": " + r.get("error"));
            }
        }
        return errors;
    }
}
