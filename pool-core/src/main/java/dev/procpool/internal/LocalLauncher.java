package dev.procpool.internal;

/** Starts child JVMs on this machine, each a {@link ChildProcess} with the pool's {@link WorkerCommand}. */
final class LocalLauncher implements Launcher {
    private final WorkerCommand command;

    LocalLauncher(WorkerCommand command) {
        this.command = command;
    }

    @Override
    public Child launch(String name, String stderrLabel, Wiring wiring) {
        return ChildProcess.start(name, stderrLabel, command, wiring);
    }
}
