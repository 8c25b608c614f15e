package chunk.client.internal;

import chunk.client.ChunkOutcome;
import chunk.client.DownloadResult;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import java.nio.file.Path;
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
            case DownloadResult.LocalFailure _ -> ExitCode.LOCAL_IO;
        };
    }

    /**
     * What to print on standard error for {@code result}, or an empty string for a quiet success.
     *
     * @param shown turns a path into the way the user should see it
     * @param chunks the chunks asked for on the command line
     */
    static String describe(DownloadResult result, int chunks, boolean quiet, java.util.function.Function<Path, String> shown) {
        return describe(result, chunks, quiet, shown, 0);
    }

    /**
     * {@link #describe(DownloadResult, int, boolean, java.util.function.Function)}, saying too
     * that {@code resumed} bytes came from the part file of an earlier run.
     */
    static String describe(DownloadResult result, int chunks, boolean quiet, java.util.function.Function<Path, String> shown,
            long resumed) {
        StringBuilder text = new StringBuilder();
        switch (result) {
            case DownloadResult.Completed done -> {
                if (!quiet) {
                    long used = Math.min(chunks, done.size());
                    text.append(shown.apply(done.file())).append(": ")
                            .append(Durations.bytes(done.size())).append(" in ").append(Durations.seconds(done.elapsed()))
                            .append(", ").append(Durations.rate(done.size() - resumed, done.elapsed()))
                            .append(", ").append(used).append(used == 1 ? " chunk" : " chunks")
                            .append(" from ").append(done.servers().size()).append(done.servers().size() == 1 ? " server" : " servers");
                    if (!done.servers().isEmpty()) {
                        text.append(" (").append(done.servers().stream().map(ServerAddress::toString)
                                .collect(Collectors.joining(", "))).append(')');
                    }
                    if (resumed > 0) {
                        text.append(", ").append(Durations.bytes(resumed)).append(" of it resumed from the part file");
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
                        .append(shown.apply(incomplete.partFile())).append(", and the same command continues from them\n");
            }
            case DownloadResult.LocalFailure failure -> text.append("myclient: ").append(failure.message()).append('\n');
        }
        return text.toString();
    }
}
