package dev.procpool.cli;

import picocli.CommandLine;

/** The {@code procpool} command. Exit codes: see {@link RunCommand}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        return new CommandLine(new ProcpoolCommand())
                .setParameterExceptionHandler(Main::usageError)
                .execute(args);
    }

    /** A bad option: the message and a hint, not the whole usage text, which would bury the message. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        command.getErr().println("procpool: " + e.getMessage());
        command.getErr().println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        return RunCommand.EXIT_USAGE;
    }
}
