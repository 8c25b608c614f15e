package chunk.server.internal;

/**
 * The exit codes of {@code myserver}. Their words are the help's and the man page's
 * ({@link ServerManual}), so that what is documented is what the program returns.
 */
enum ExitCode {
    OK(0, "stopped by SIGINT or SIGTERM (or --help, --version)"),
    FATAL(1, "a fatal error while serving, such as the served folder vanishing; with --print-root, a file that could not be read"),
    USAGE(2, "usage error: a bad argument, a root folder that is missing or unreadable, or a --digest-cache folder inside it or unusable"),
    CANNOT_LISTEN(3, "cannot listen: the address is in use or cannot be bound");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The number the process exits with. */
    int code() {
        return code;
    }

    /** What it means, for the help and the man page. */
    String meaning() {
        return meaning;
    }
}
