package dev.procpool.objects;

/** A thread of a process of the family: the owner of a lock, the one a reply goes to. */
public record Caller(long process, long thread) {
    static Caller current() {
        return new Caller(Self.token(), Thread.currentThread().getId());
    }
}
