package dev.procpool.bench;

/** A JVM that prints hello and exits: the floor under any worker start (compare.sh times it as a process). */
public final class Hello {
    private Hello() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
