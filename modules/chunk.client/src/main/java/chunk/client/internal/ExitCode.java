package chunk.client.internal;

/** The exit codes of {@code myclient}, as documented in the README and in {@code --help}. */
final class ExitCode {

    private ExitCode() {}

    /** Every file is complete. */
    static final int OK = 0;
    /** A bug: an unexpected exception. */
    static final int INTERNAL = 1;
    /** A bad option or argument. */
    static final int USAGE = 2;
    /** The servers file is missing, unreadable, has a bad line or lists no server. */
    static final int SERVERS_FILE = 3;
    /** No server could provide a file ({@code Cannot transfer this file}). */
    static final int UNAVAILABLE = 4;
    /** Some chunks could not be downloaded ({@code not all chunks are downloaded}). */
    static final int INCOMPLETE = 5;
    /** The file cannot be written here: disk full, permission, or it exists without --force. */
    static final int LOCAL_IO = 6;
    /** Another download is writing the same output file (it holds the part file's lock). */
    static final int OUTPUT_IN_USE = 7;
    /** The servers disagree on the file and nothing settles which is right, or none has the pinned root. */
    static final int DISPUTED = 8;
    /** The downloaded file does not match {@code --sha256}; nothing was saved under its name. */
    static final int CHECKSUM_MISMATCH = 9;
    /** Stopped by Ctrl-C (SIGINT), as shells report it: 128 + 2; the resume record is saved. */
    static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM: 128 + 15; the resume record is saved. */
    static final int TERMINATED = 143;
}
