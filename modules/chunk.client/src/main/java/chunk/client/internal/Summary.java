package chunk.client.internal;

import chunk.client.ChunkOutcome;
import chunk.client.DownloadResult;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.ServerReport;
import chunk.client.Verification;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The lines that report how a download ended, and the exit code it stands for. */
final class Summary {

    private Summary() {}

    /** {@code verified}, {@code verified, SHA-256 matches}, {@code unverified}, {@code not verified (--no-verify)}. */
    static String verificationWord(Verification verification) {
        String word = switch (verification.status()) {
            case VERIFIED -> "verified";
            case UNVERIFIED -> "unverified (no server gives digests)";
            case OFF -> "not verified (--no-verify)";
        };
        return verification.sha256() == null ? word : word + ", SHA-256 matches";
    }

    /**
     * What each server did: nothing for one server alone; otherwise one line for all (or one
     * line each when verbose): bytes and rate, failures, and why a server was left out.
     */
    static void servers(StringBuilder text, List<ServerReport> reports, boolean verbose) {
        if (reports.size() < 2) {
            return;
        }
        List<String> parts = new ArrayList<>();
        for (ServerReport report : reports) {
            StringBuilder part = new StringBuilder().append(report.server()).append(' ');
            if (report.bytes() > 0) {
                part.append(Durations.bytes(report.bytes()));
                if (report.bytesPerSecond() > 0) {
                    part.append(" at ").append(Durations.rate((long) report.bytesPerSecond(), java.time.Duration.ofSeconds(1)));
                }
                if (verbose && report.connectionBytesPerSecond() > 0) {
                    part.append(" (").append(Durations.rate((long) report.connectionBytesPerSecond(), java.time.Duration.ofSeconds(1)))
                            .append(" a connection)");
                }
            } else {
                part.append("nothing");
            }
            if (!report.failures().isEmpty()) {
                part.append(", ").append(report.failures().size()).append(report.failures().size() == 1 ? " failure" : " failures");
                if (verbose) {
                    part.append(" (").append(String.join("; ", report.failures())).append(')');
                }
            }
            if (report.leftOut() != null) {
                part.append(", left out: ").append(report.leftOut());
            }
            parts.add(part.toString());
        }
        if (verbose) {
            parts.forEach(part -> text.append("  ").append(part).append('\n'));
        } else {
            text.append("  ").append(String.join("; ", parts)).append('\n');
        }
    }

    /** The exit code of a result: see {@link ExitCode}. */
    static int exitCode(DownloadResult result) {
        return switch (result) {
            case DownloadResult.Completed _ -> ExitCode.OK;
            case DownloadResult.Unavailable _ -> ExitCode.UNAVAILABLE;
            case DownloadResult.Incomplete _ -> ExitCode.INCOMPLETE;
            case DownloadResult.LocalFailure _ -> ExitCode.LOCAL_IO;
            case DownloadResult.Disputed _ -> ExitCode.DISPUTED;
            case DownloadResult.ChecksumMismatch _ -> ExitCode.CHECKSUM_MISMATCH;
        };
    }

    /**
     * What to print on standard error for {@code result}, or an empty string for a quiet success.
     * With several servers, a second line says what each delivered; with {@code verbose}, one
     * line per server, and the root.
     *
     * @param shown turns a path into the way the user should see it
     */
    static String describe(DownloadResult result, boolean quiet, boolean verbose, java.util.function.Function<Path, String> shown) {
        return describe(result, quiet, verbose, shown, 0);
    }

    /**
     * {@link #describe(DownloadResult, boolean, boolean, java.util.function.Function)}, saying too
     * that {@code resumed} bytes came from the part file of an earlier run.
     */
    static String describe(DownloadResult result, boolean quiet, boolean verbose, java.util.function.Function<Path, String> shown,
            long resumed) {
        StringBuilder text = new StringBuilder();
        switch (result) {
            case DownloadResult.Completed done -> {
                if (!quiet) {
                    int used = done.chunks().size();
                    text.append(shown.apply(done.file())).append(": ")
                            .append(Durations.bytes(done.size())).append(" in ").append(Durations.seconds(done.elapsed()))
                            .append(", ").append(Durations.rate(done.size() - resumed, done.elapsed()))
                            .append(", ").append(used).append(used == 1 ? " chunk" : " chunks")
                            .append(" from ").append(done.servers().size()).append(done.servers().size() == 1 ? " server" : " servers");
                    if (!done.servers().isEmpty() && done.reports().size() < 2) {
                        text.append(" (").append(done.servers().stream().map(ServerAddress::toString)
                                .collect(Collectors.joining(", "))).append(')');
                    }
                    if (resumed > 0) {
                        text.append(", ").append(Durations.bytes(resumed)).append(" of it resumed from the part file");
                    }
                    text.append(", ").append(verificationWord(done.verification())).append('\n');
                    servers(text, done.reports(), verbose);
                    if (verbose && done.verification().root() != null) {
                        text.append("  root ").append(done.verification().root()).append(" (1 MiB pieces)\n");
                    }
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
                servers(text, incomplete.reports(), verbose);
            }
            case DownloadResult.LocalFailure failure -> text.append("myclient: ").append(failure.message()).append('\n');
            case DownloadResult.Disputed disputed -> {
                text.append("myclient: ").append(disputed.problem()).append("; nothing was downloaded\n");
                for (String claim : disputed.claims()) {
                    text.append("  ").append(claim).append('\n');
                }
                text.append("  pin the file with --sha256 <hex> (as its publisher gives it) or --root <hex>\n");
            }
            case DownloadResult.ChecksumMismatch mismatch -> text.append("myclient: ")
                    .append(mismatch.fileName()).append(" does not match --sha256: its SHA-256 is ").append(mismatch.actual())
                    .append(", not ").append(mismatch.expected()).append("; nothing was saved as ")
                    .append(shown.apply(mismatch.target())).append('\n');
        }
        return text.toString();
    }
}
