package chunk.client.cli;

/**
 * The exit codes of {@code myclient}. The help's list and the man page are made from this table
 * ({@link ClientManual}), so that they cannot disagree with what the program returns.
 */
public enum ExitCode {
    /** Every file is complete. */
    OK(0, "all files complete"),
    /** A bug: an unexpected exception. */
    INTERNAL(1, "internal error"),
    /** A bad option or argument. */
    USAGE(2, "usage error"),
    /** The servers file is missing, unreadable, has a bad line or lists no server. */
    SERVERS_FILE(3, "bad servers file"),
    /** No server could provide a file ({@code Cannot transfer this file}). */
    UNAVAILABLE(4, "no server could provide a file"),
    /** Some chunks could not be downloaded ({@code not all chunks are downloaded}). */
    INCOMPLETE(5, "incomplete download"),
    /** The file cannot be written here: disk full, permission, or it exists without --force. */
    LOCAL_IO(6, "local I/O error (cannot write, or the file exists and --force is not given)"),
    /** Another download is writing the same output file (it holds the part file's lock). */
    OUTPUT_IN_USE(7, "the output is in use by another download"),
    /** The servers disagree on the file and nothing settles which is right, or none has the pinned root. */
    DISPUTED(8, "the servers disagree on the file (pin it with --sha256 or --root)"),
    /** The downloaded file does not match {@code --sha256}; nothing was saved under its name. */
    CHECKSUM_MISMATCH(9, "the file does not match --sha256 (nothing is saved)"),
    /** Stopped by SIGHUP (its terminal closed), as shells report it: 128 + 1; the resume record is saved. */
    HANGUP(129, "stopped by SIGHUP, its terminal closed (what arrived is kept; the same command continues it)"),
    /** Stopped by Ctrl-C (SIGINT), as shells report it: 128 + 2; the resume record is saved. */
    INTERRUPTED(130, "stopped by Ctrl-C (likewise)"),
    /** Stopped by SIGTERM: 128 + 15; the resume record is saved. */
    TERMINATED(143, "stopped by SIGTERM (likewise)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The process's exit status. */
    public int code() {
        return code;
    }

    /** What it means, in the words of the help and the man page. */
    public String meaning() {
        return meaning;
    }
}
