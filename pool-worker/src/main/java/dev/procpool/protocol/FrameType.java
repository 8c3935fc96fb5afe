package dev.procpool.protocol;

/** What a frame carries. The byte codes are part of the wire format: never renumber, only add. */
public enum FrameType {
    /** worker to supervisor, first frame: protocol version and pid. */
    HELLO(1),
    /** supervisor to worker: slot id, limits, heartbeat interval and the serialized initializer (or none). */
    INIT(2),
    /** worker to supervisor: the initializer ran, tasks may come. */
    READY(3),
    /** worker to supervisor: the initializer threw; the payload is the failure. The worker exits. */
    INIT_FAILED(4),
    /** supervisor to worker: a task function to keep under an id, and optionally one to forget. */
    DEFINE(5),
    /** supervisor to worker: run a function over a chunk of inputs. */
    RUN(6),
    /** worker to supervisor: the per-item outcomes of a RUN with the same request id. */
    RESULT(7),
    /** supervisor to worker: give back the RUN with this request id if it has not started (work stealing). */
    REVOKE(8),
    /** worker to supervisor: the RUN with this request id was given back unstarted; it will never run here. */
    REVOKED(9),
    /** worker to supervisor, periodically: this JVM is alive and scheduling threads (not stopped, not hung). */
    HEARTBEAT(10),
    /** worker to supervisor: the RUN with this request id had already started when its REVOKE came. */
    RUNNING(11);

    private static final FrameType[] BY_CODE = new FrameType[12];

    static {
        for (FrameType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    final byte code;

    FrameType(int code) {
        this.code = (byte) code;
    }

    static FrameType ofCode(byte code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
