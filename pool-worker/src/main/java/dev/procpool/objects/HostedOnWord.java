package dev.procpool.objects;

/**
 * A hosted object whose state is a word of the mapped file (or of a buffer local to the root): processes that map
 * the file change it themselves, and this object serves the others and the waits on the same word.
 */
abstract class HostedOnWord extends Hosted {
    final Host.Cell cell;
    final Word word;

    HostedOnWord(long id, Host host, Host.Cell cell) {
        super(id, host);
        this.cell = cell;
        this.word = cell.word();
    }

    final Host.Cell cell() {
        return cell;
    }

    /** What a handle must know to act on the word itself (reentrant, bounded and initial permits). */
    long[] params() {
        return new long[0];
    }
}
