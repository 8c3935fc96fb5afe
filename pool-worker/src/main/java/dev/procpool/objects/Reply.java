package dev.procpool.objects;

/** Where the answer to one operation goes: the waiting local thread, or a REPLY frame to a child. */
public interface Reply {
    void done(Object value);

    void failed(Throwable failure);
}
