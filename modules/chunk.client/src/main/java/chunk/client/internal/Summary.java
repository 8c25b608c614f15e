package chunk.client.internal;

import chunk.client.ChunkOutcome;
import chunk.client.DownloadResult;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.DownloadResult.LocalFailure.Reason;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The lines that report how a download ended, and the exit code it stands for. */
final class Summary {

    private Summary() {}

    /** The exit code of a result: see {@link ExitCode}. */
    static int exitCode(DownloadResult result) {
        return switch (result) {
            case DownloadResult.Completed _ -> ExitCode.OK;
            case DownloadResult.Unavailable _ -> ExitCode.UNAVAILABLE;
            case DownloadResult.Incomplete _ -> ExitCode.INCOMPLETE;
            case DownloadResult.LocalFailure failure -> failure.reason() == Reason.IN_USE ? ExitCode.OUTPUT_IN_USE : ExitCode.LOCAL_IO;
        };
    }

    /**
     * What to print on standard error for {@code result}, or an empty string for a quiet success.
     *
     * @param shown turns a path into the way the user should see it
     * @param chunks the chunks asked for on the command line
     */
    static String describe(DownloadResult result, int chunks, boolean quiet, Function<Path, String> shown) {
        StringBuilder text = new StringBuilder();
        switch (result) {
            case DownloadResult.Completed done -> {
                if (!quiet) {
                    long used = Math.min(chunks, done.size());
                    text.append(shown.apply(done.file())).append(": ")
                            .append(HumanFormat.bytes(done.size())).append(" in ").append(HumanFormat.seconds(done.elapsed()))
                            .append(", ").append(HumanFormat.rate(done.size(), done.elapsed()))
                            .append(", ").append(used).append(used == 1 ? " chunk" : " chunks")
                            .append(" from ").append(done.servers().size()).append(done.servers().size() == 1 ? " server" : " servers");
                    if (!done.servers().isEmpty()) {
                        text.append(" (").append(done.servers().stream().map(ServerAddress::toString)
                                .collect(Collectors.joining(", "))).append(')');
                    }
                    text.append('\n');
                }
            }
            case DownloadResult.Unavailable unavailable -> {
                text.append("Cannot transfer this file: ").append(unavailable.fileName()).append('\n');
                for (ServerFailure failure : unavailable.failures()) {
                    text.append("  ").append(failure).append('\n');
                }
            }
            case DownloadResult.Incomplete incomplete -> {
                text.append("not all chunks are downloaded: ").append(incomplete.fileName()).append(" (")
                        .append(incomplete.failed().size()).append(incomplete.failed().size() == 1 ? " chunk" : " chunks")
                        .append(" missing)\n");
                long missing = 0;
                for (ChunkOutcome.Failed failed : incomplete.failed()) {
                    missing += failed.range().length() - failed.received();
                    text.append("  chunk ").append(failed.index()).append(", bytes ").append(failed.range());
                    if (failed.received() > 0) {
                        text.append(" (").append(failed.received()).append(" bytes received)");
                    }
                    text.append(":\n");
                    for (ServerFailure failure : failed.failures()) {
                        text.append("    ").append(failure).append('\n');
                    }
                }
                text.append("  ").append(missing).append(" of ").append(incomplete.size())
                        .append(" bytes are missing; the bytes received are kept in ")
                        .append(shown.apply(incomplete.partFile())).append('\n');
            }
            case DownloadResult.LocalFailure failure -> text.append("myclient: ").append(localFailure(failure, shown)).append('\n');
        }
        return text.toString();
    }

    /** A local failure in one line: what happened, where, and what to do on the command line. */
    static String localFailure(DownloadResult.LocalFailure failure, Function<Path, String> shown) {
        String target = shown.apply(failure.target());
        String part = shown.apply(PartFile.partPathFor(failure.target()));
        String detail = failure.detail().isEmpty() ? "" : ": " + failure.detail();
        return switch (failure.reason()) {
            case EXISTS -> target + " already exists; use --force to replace it";
            case IS_FOLDER -> target + " is a folder; name a file with --output <file>";
            case NOT_A_REGULAR_FILE -> target + " is not a regular file (a link, a FIFO or a device) and is never replaced;"
                    + " choose another --output";
            case NO_FILE_NAME -> "'" + Shown.name(failure.fileName()) + "' has no file name to save under;"
                    + " name one with --output <file>";
            case IN_USE -> target + " is being written by another download"
                    + (failure.detail().isEmpty() ? "" : " (" + failure.detail() + ")")
                    + "; wait for it to end, or choose another --output";
            case CANNOT_CREATE -> "cannot create " + part + detail;
            case CANNOT_WRITE -> "cannot write " + part + detail + "; the bytes received are kept in " + part;
            case CANNOT_SAVE -> "cannot save " + target + detail + "; the data is kept in " + part;
        };
    }
}
