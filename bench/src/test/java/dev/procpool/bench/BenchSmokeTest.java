package dev.procpool.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fast checks of the bench's own logic; one tiny pool proves the tasks cross the process boundary. No JMH. */
class BenchSmokeTest {
    @Test
    void sha256TaskDoesWhatCpuScalingPyDoes() {
        // python3: h = sha256(bytes(range(256)) * 4).digest(); [h[0] ^ (i & 0xFF) for i in (0, 1, 255, 256, 1000)]
        assertEquals(List.of(120, 121, 135, 120, 144),
                List.of(Tasks.sha256Task(0), Tasks.sha256Task(1), Tasks.sha256Task(255), Tasks.sha256Task(256),
                        Tasks.sha256Task(1000)));
    }

    @Test
    void percentilesMatchApplyLatencyPy() {
        double[] sorted = new double[5000];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i;
        }
        // python3: pct(list(range(5000)), p) for p in (50, 90, 99) -> 2499, 4499, 4949; median 2499.5
        assertEquals(2499, Stats.percentile(sorted, 50));
        assertEquals(4499, Stats.percentile(sorted, 90));
        assertEquals(4949, Stats.percentile(sorted, 99));
        assertEquals(2499.5, Stats.median(sorted));
    }

    @Test
    void jsonLinesAreLaidOutAsPythonWritesThem() {
        String line = Json.line(Json.obj().put("name", "a \"b\"").put("n", 3).put("x", 0.5)
                .putPOJO("xs", List.of(1, 2)).putNull("none").put("nan", Double.NaN).put("ok", true));
        // python3: json.dumps({"name": 'a "b"', "n": 3, "x": 0.5, "xs": [1, 2], "none": None, "nan": math.nan,
        //                      "ok": True})
        assertEquals("{\"name\": \"a \\\"b\\\"\", \"n\": 3, \"x\": 0.5, \"xs\": [1, 2], \"none\": null, \"nan\": NaN, "
                + "\"ok\": true}", line);
        JsonNode parsed = Json.parse(line);
        assertEquals("a \"b\"", parsed.get("name").textValue());
        assertEquals(3, parsed.get("n").intValue());
        assertEquals(2, parsed.get("xs").get(1).intValue());
        assertTrue(parsed.get("none").isNull());
        assertTrue(Double.isNaN(parsed.get("nan").doubleValue()));
        assertEquals(Double.NEGATIVE_INFINITY, Json.parse("{\"v\": -Infinity}").get("v").doubleValue());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"n\": 1} {\"n\": 2}"));
    }

    @Test
    void tableComparesWithTargets() {
        Results python = new Results();
        python.add("{\"script\": \"apply_latency.py\", \"name\": \"pool_fork.apply.latency\", \"median_us\": 120.0}");
        python.add("{\"name\": \"pool_fork.mtpc_100.map1000_cs1\", \"tasks_per_s\": 9000}");
        python.add("{\"name\": \"pool_fork.mtpc_None.map1000_cs1\", \"tasks_per_s\": 10000}");
        Results procpool = new Results();
        procpool.add("{\"name\": \"procpool.apply.latency\", \"median_us\": 30.0}");
        procpool.add("{\"name\": \"procpool.apply.latency\", \"median_us\": 10.0}");
        procpool.add("{\"name\": \"procpool.apply.latency\", \"median_us\": 12.0}");
        procpool.add("{\"name\": \"procpool.mtpc_100.map200_cs1\", \"tasks_per_s\": 500}");
        procpool.add("{\"name\": \"procpool.mtpc_None.map200_cs1\", \"tasks_per_s\": 1000}");
        String table = CompareReport.table(CompareReport.rows(), python, procpool, null);
        assertTrue(table.contains("| apply() round trip, median | us | 120 | 12.0 | 10.00x | <= 20 | yes |"), table);
        assertTrue(table.contains("| maxtasksperchild=100 vs unlimited | % | 90.0 | 50.0 | 0.56x | >= 25 | yes |"),
                table);
    }

    @Test
    void primitivesTableHasForkAndSpawnColumnsAndSaysByHowMuchATargetIsMissed() {
        Results python = new Results();
        python.add("{\"script\": \"primitives.py\", \"name\": \"mp_fork.queue_pingpong\", \"median_us\": 80.0}");
        python.add("{\"script\": \"primitives.py\", \"name\": \"mp_spawn.queue_pingpong\", \"median_us\": 96}");
        python.add("{\"name\": \"mp_fork.queue_stream\", \"items_per_s\": 80000}");
        Results procpool = new Results();
        procpool.add("{\"name\": \"procpool.queue_pingpong\", \"median_us\": 32.0}");
        procpool.add("{\"name\": \"procpool.queue_stream\", \"items_per_s\": 150000}");
        procpool.add("{\"name\": \"procpool.queue_stream.children_ready\", \"items_per_s\": 600000}");
        List<CompareReport.Row> rows = CompareReport.primitiveRows();
        assertTrue(CompareReport.hasData(rows, python, procpool));
        assertFalse(CompareReport.hasData(CompareReport.rows(), python, procpool));
        String table = PrimitiveRows.table(rows, python, procpool);
        assertTrue(table.contains("| Queue ping-pong root -> child -> root, median | us | 80.0 | 96.0 | 32.0 | 2.50x"
                + " | 3.00x | <= 40 | yes |"), table);
        assertTrue(table.contains("| Queue stream: root puts 100,000 ints, one child takes them | items/s | 80.0k | n/a"
                + " | 150k | 1.88x | n/a | >= 300k | NO (0.50x of it) |"), table);
        assertTrue(table.contains("| Queue stream, child running first | items/s | 80.0k | n/a | 600k | 7.50x | n/a"
                + " | >= 300k | yes |"), table);
    }

    @Test
    void tasksRunInAWorkerJvm() {
        try (Engine pool = Engine.open("procpool", 1)) {
            assertEquals(49, pool.apply(Tasks.SQUARE, 7));
            assertEquals(List.of(120, 121), pool.map(Tasks.SHA256, Range.of(2), 1));
            assertNotEquals(ProcessHandle.current().pid(), pool.apply(Tasks.GETPID, 0));
            byte[] bytes = {1, 2, 3};
            assertArrayEquals(bytes, pool.apply(Tasks.IDENTITY, bytes));
        }
    }
}
