package dev.procpool.protocol;

/**
 * What a frame carries; each type's payload is one {@link Message} record. The byte codes are part of the wire
 * format: never renumber, only add. "S" is the supervisor (the parent JVM), "W" the child it started.
 */
public enum FrameType {
    /** W to S, first frame: protocol version and pid. */
    HELLO(1),
    /** S to W: slot, limits, heartbeat interval, exit grace period and the serialized initializer (or none). */
    INIT(2),
    /** W to S: the initializer ran, tasks may come. */
    READY(3),
    /** W to S: the initializer threw; the payload is the failure. The worker exits. */
    INIT_FAILED(4),
    /** S to W: a task function to keep under an id, and optionally one to forget. */
    DEFINE(5),
    /** S to W: run a function over a chunk of inputs. */
    RUN(6),
    /** W to S: the per-item outcomes of the RUN with the same request id. */
    RESULT(7),
    /** S to W: give back the RUN with this request id if it has not started (work stealing, cancellation). */
    REVOKE(8),
    /** W to S: the RUN with this request id was given back unstarted; it will never run here. */
    REVOKED(9),
    /** W to S, periodically: this JVM is alive and scheduling threads (not stopped, not hung). */
    HEARTBEAT(10),
    /** W to S: the RUN with this request id had already started when its REVOKE came. */
    RUNNING(11),
    /** S to W: exit now; nothing more will come. (End of input without END means the supervisor died.) */
    END(12),
    /** Either way: a call to the other side; the request id is allocated by the caller. */
    CALL(13),
    /** Either way: the answer to the CALL with the same request id. */
    REPLY(14),
    /** Either way: a frame could not be served (unknown request id, unexpected type); the text says why. */
    ERROR(15),
    /** W to S: this JVM exits in order (its shutdown hooks run); a death without it was abnormal. */
    GOODBYE(16);

    private static final FrameType[] BY_CODE = new FrameType[17];

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
