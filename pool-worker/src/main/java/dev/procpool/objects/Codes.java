package dev.procpool.objects;

/** Operation codes of the shared objects (part of the wire format: only add). */
final class Codes {
    // object 0: the host itself
    static final int CREATE = 1; // args: kind, parameters...
    static final int CANCEL = 2; // args: op id of a parked operation of object `object`
    static final int RELEASE = 3; // args: object ids (long[]), counts (int[]) received and now dropped
    static final int GONE = 4; // args: process token, abnormal: a process below a middle JVM ended
    static final int GRANT = 5; // args: process token, object id: a middle JVM gave a handle to a child
    static final int ALIVE = 6; // how many objects the root keeps now (for tests of their freeing)
    static final int ATTACH = 7; // the mapped file's path, the root's host identity and the caller's slot, or null
    static final int CELL = 8; // args: object id: its cell in the mapped file, or -1 (pipe path)
    static final int DETACH = 9; // the caller could not map the file: its slot is for the pipe path

    // queues
    static final int PUT = 10;
    static final int OFFER = 11;
    static final int TAKE = 12; // args: the most bytes of copies the caller can receive (none: no limit)
    static final int POLL = 13; // as TAKE
    static final int PEEK = 14;
    static final int SIZE = 15;
    static final int REMAINING = 16;
    static final int CLEAR = 17;
    static final int SNAPSHOT = 18;
    static final int DRAIN = 19; // args: max elements, the most bytes of copies the caller can receive
    static final int REMOVE_EQUAL = 20;
    static final int TASK_DONE = 21;
    static final int JOIN = 22;
    static final int RECEIVED = 23; // one-way: the caller's thread has the answer to its last take, poll or drain

    // locks and conditions
    static final int LOCK = 30;
    static final int UNLOCK = 31;
    static final int IS_LOCKED = 32;
    static final int HELD_BY_CALLER = 33;
    static final int AWAIT = 34;
    static final int SIGNAL = 35;
    static final int SIGNAL_ALL = 36;
    static final int LOCK_FAST = 37; // args: hold count; a mapped-file caller that must wait: true once it owns the word
    static final int WAKE = 38; // a mapped-file caller cleared a word that had the waiters bit: hand it on (no answer)

    // semaphores
    static final int ACQUIRE = 40;
    static final int RELEASE_PERMITS = 41;
    static final int AVAILABLE = 42;
    static final int ACQUIRE_FAST = 43; // args: permits; a mapped-file caller that must wait (held counted in the file)

    // events
    static final int SET = 50;
    static final int CLEAR_FLAG = 51;
    static final int IS_SET = 52;
    static final int WAIT_SET = 53;

    // barriers
    static final int BARRIER_AWAIT = 60;
    static final int PARTIES = 61;
    static final int NUMBER_WAITING = 62;
    static final int IS_BROKEN = 63;
    static final int RESET = 64;

    // atomic long
    static final int GET = 70;
    static final int SET_VALUE = 71;
    static final int ADD_AND_GET = 72;
    static final int GET_AND_ADD = 73;
    static final int COMPARE_AND_SET = 74;

    // maps, lists, namespaces (keys and values as bytes)
    static final int MAP_GET = 80;
    static final int MAP_PUT = 81;
    static final int MAP_PUT_IF_ABSENT = 82;
    static final int MAP_REMOVE = 83; // args: key, the most bytes the caller can receive
    static final int MAP_REMOVE_IF = 84;
    static final int MAP_REPLACE = 85;
    static final int MAP_REPLACE_IF = 86;
    static final int MAP_CONTAINS_KEY = 87;
    static final int MAP_CONTAINS_VALUE = 88;
    static final int LIST_GET = 90;
    static final int LIST_SET = 91;
    static final int LIST_ADD = 92;
    static final int LIST_REMOVE_AT = 93; // args: index, the most bytes the caller can receive

    // object kinds for CREATE
    static final int KIND_QUEUE = 1;
    static final int KIND_LOCK = 2;
    static final int KIND_SEMAPHORE = 3;
    static final int KIND_EVENT = 4;
    static final int KIND_BARRIER = 5;
    static final int KIND_ATOMIC = 6;
    static final int KIND_MAP = 7;
    static final int KIND_LIST = 8;
    static final int KIND_NAMESPACE = 9;

    private Codes() {
    }
}
