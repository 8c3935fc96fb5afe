package dev.procpool.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "procpool", mixinStandardHelpOptions = true, versionProvider = Version.class,
        subcommands = RunCommand.class,
        description = {
            "Runs a Java task on every line of a file in a pool of worker JVMs, the way Python's "
                    + "multiprocessing.Pool runs a function. Each worker is a separate process: a task that throws, "
                    + "leaks, calls System.exit or crashes its JVM costs one item and one worker, which is replaced; "
                    + "the run goes on.",
            "",
            "Try the demo, which needs nothing but this jar:",
            "  java -jar procpool.jar run",
            "then 'procpool run --help' to run your own task.",
            ""},
        commandListHeading = "%nCommands:%n")
final class ProcpoolCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** No command given: that is a usage error, and the usage says what to type. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return RunCommand.EXIT_USAGE;
    }
}
