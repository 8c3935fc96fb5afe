package dev.procpool.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** JSON lines from the anchors or SideBySide, queried by measurement name and field. */
public final class Results {
    private final List<JsonNode> records = new ArrayList<>();

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
    public void add(String line) {
        String trimmed = line.trim();
        if (trimmed.startsWith("{")) {
            records.add(Json.parse(trimmed));
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
                .filter(r -> r.path("name").isTextual() && name.matcher(r.get("name").textValue()).matches())
                .map(r -> r.path(field))
                .filter(JsonNode::isNumber) // integers too: Python writes 9000 where Java writes 9000.0
                .mapToDouble(JsonNode::doubleValue)
                .toArray();
    }

    /** The names of records that report a failure (SideBySide's "...error" lines). */
    public List<String> errors() {
        List<String> errors = new ArrayList<>();
        for (JsonNode r : records) {
            if (r.has("error")) {
                errors.add(r.path("name").asText() + ": " + r.get("error").asText());
            }
        }
        return errors;
    }
}
