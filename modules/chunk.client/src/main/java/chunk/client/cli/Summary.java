package chunk.client.cli;

import chunk.client.ChunkOutcome;
import chunk.client.DownloadResult.LocalFailure.Reason;
import chunk.client.DownloadResult;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.ServerReport;
import chunk.client.Verification;
import chunk.client.disk.OutputTarget;
import chunk.client.disk.PartFile;
import chunk.client.text.HumanFormat;
import chunk.client.text.Shown;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
                part.append(HumanFormat.bytes(report.bytes()));
                if (report.bytesPerSecond() > 0 && report.bytes() >= MIN_SIZE_FOR_A_RATE) {
                    part.append(" at ").append(HumanFormat.rate((long) report.bytesPerSecond(), java.time.Duration.ofSeconds(1)));
                }
                if (verbose && report.connectionBytesPerSecond() > 0) {
                    part.append(" (").append(HumanFormat.rate((long) report.connectionBytesPerSecond(), java.time.Duration.ofSeconds(1)))
                            .append(" a connection)");
                }
            } else {
                part.append("nothing");
            }
            if (!report.failures().isEmpty()) {
                // A range moved to a faster connection is the scheduler at work, not a failure of the server.
                long moved = report.failures().stream().filter(f -> f.kind() == ServerFailure.Kind.MOVED).count();
                long failures = report.failures().size() - moved;
                if (failures > 0) {
                    part.append(", ").append(failures).append(failures == 1 ? " failure" : " failures");
                }
                if (moved > 0) {
                    part.append(", ").append(moved).append(moved == 1 ? " range moved" : " ranges moved");
                }
                if (verbose) {
                    part.append(" (").append(report.failures().stream().map(ServerFailure::reason)
                            .collect(Collectors.joining("; "))).append(')');
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

    /** The exit code of a result. */
    static ExitCode exitCode(DownloadResult result) {
        return switch (result) {
            case DownloadResult.Completed _ -> ExitCode.OK;
            case DownloadResult.Unavailable _ -> ExitCode.UNAVAILABLE;
            case DownloadResult.Incomplete _ -> ExitCode.INCOMPLETE;
            case DownloadResult.LocalFailure failure -> failure.reason() == Reason.IN_USE ? ExitCode.OUTPUT_IN_USE : ExitCode.LOCAL_IO;
            case DownloadResult.Disputed _ -> ExitCode.DISPUTED;
            case DownloadResult.ChecksumMismatch _ -> ExitCode.CHECKSUM_MISMATCH;
        };
    }

    /**
     * The most lines the groups of failed chunks take without {@code --verbose}: with the
     * report's first and last line, a screenful. The first group is always shown whole.
     */
    static final int MAX_GROUP_LINES = 20;

    /** Below this size a rate measures the start-up, not the transfer: it is left out. */
    static final long MIN_SIZE_FOR_A_RATE = 1 << 20;

    /**
     * What to print on standard error for {@code result}, or an empty string for a quiet success.
     * With several servers, a second line says what each delivered; with {@code verbose}, one
     * line per server, and the root.
     *
     * @param shown turns a path into the way the user should see it
     * @param verbose whether a failure report lists every chunk, rather than groups of them
     */
    static String describe(DownloadResult result, boolean quiet, boolean verbose, Function<Path, String> shown) {
        return describe(result, quiet, verbose, shown, true);
    }

    /**
     * As {@link #describe(DownloadResult, boolean, boolean, Function)}; {@code partFilesKept}
     * false says that the bytes received were not kept (as with {@code -o -}, where they are
     * deleted with their temporary folder).
     */
    static String describe(DownloadResult result, boolean quiet, boolean verbose, Function<Path, String> shown,
            boolean partFilesKept) {
        StringBuilder text = new StringBuilder();
        switch (result) {
            case DownloadResult.Completed done -> {
                if (!quiet) {
                    completed(done, shown, text);
                    servers(text, done.reports(), verbose);
                    if (verbose && done.verification().root() != null) {
                        text.append("  root ").append(done.verification().root()).append(" (BEP 52: what --root takes)\n");
                    }
                }
            }
            case DownloadResult.Unavailable unavailable -> {
                text.append("Cannot transfer this file: ").append(Shown.name(unavailable.fileName())).append('\n');
                for (ServerFailure failure : unavailable.failures()) {
                    text.append("  ").append(failure).append('\n');
                }
            }
            case DownloadResult.Incomplete incomplete -> {
                text.append("not all chunks are downloaded: ").append(Shown.name(incomplete.fileName())).append(" (")
                        .append(incomplete.failed().size()).append(incomplete.failed().size() == 1 ? " chunk" : " chunks")
                        .append(" missing)\n");
                if (verbose) {
                    everyChunk(incomplete, text);
                } else {
                    groupedChunks(incomplete, text);
                }
                long missing = 0;
                for (ChunkOutcome.Failed failed : incomplete.failed()) {
                    missing += failed.range().length() - failed.received();
                }
                text.append("  ").append(missing).append(" of ").append(incomplete.size()).append(" bytes are missing; ")
                        .append(partFilesKept && incomplete.partFile() != null ? "the bytes received are kept in "
                                + shown.apply(incomplete.partFile()) + ", and the same command continues from them"
                                : "nothing is kept to continue from")
                        .append('\n');
                servers(text, incomplete.reports(), verbose);
            }
            case DownloadResult.LocalFailure failure ->
                    text.append("myclient: ").append(localFailure(failure, shown, partFilesKept)).append('\n');
            case DownloadResult.Disputed disputed -> {
                text.append("myclient: ").append(disputed.problem()).append("; nothing was downloaded\n");
                for (String claim : disputed.claims()) {
                    text.append("  ").append(claim).append('\n');
                }
                text.append("  pin the file with --sha256 <hex> (as its publisher gives it) or --root <hex>\n");
            }
            case DownloadResult.ChecksumMismatch mismatch -> text.append("myclient: ").append(mismatchLine(mismatch))
                    .append("; nothing was saved as ").append(shown.apply(mismatch.target())).append('\n');
        }
        return text.toString();
    }

    /** The most groups of a tie a mismatch names, and the most servers of each: the line stays one line. */
    private static final int MAX_GROUPS_SHOWN = 3;
    private static final int MAX_SERVERS_SHOWN = 2;

    static String mismatchLine(DownloadResult.ChecksumMismatch mismatch) {
        String name = Shown.name(mismatch.fileName());
        String option = mismatch.pin().option();
        if (mismatch.tried().size() < 2) {
            return name + " does not match " + option + ": its " + mismatch.pin().what() + " is " + mismatch.actual()
                    + ", not " + mismatch.expected();
        }
        StringBuilder line = new StringBuilder(name).append(" does not match ").append(option)
                .append(": no group of servers has it (");
        List<DownloadResult.ChecksumMismatch.Attempt> tried = mismatch.tried();
        for (int i = 0; i < Math.min(tried.size(), MAX_GROUPS_SHOWN); i++) {
            DownloadResult.ChecksumMismatch.Attempt attempt = tried.get(i);
            List<ServerAddress> servers = attempt.servers();
            line.append(i == 0 ? "" : "; ").append(servers.stream().limit(MAX_SERVERS_SHOWN).map(ServerAddress::toString)
                    .collect(Collectors.joining(", ")));
            if (servers.size() > MAX_SERVERS_SHOWN) {
                line.append(" and ").append(servers.size() - MAX_SERVERS_SHOWN).append(" more");
            }
            line.append(" gave ").append(attempt.actual(), 0, 8).append('…');
        }
        if (tried.size() > MAX_GROUPS_SHOWN) {
            int more = tried.size() - MAX_GROUPS_SHOWN;
            line.append("; ").append(more).append(more == 1 ? " more group" : " more groups");
        }
        return line.append("), not ").append(mismatch.expected()).toString();
    }

    private static void completed(DownloadResult.Completed done, Function<Path, String> shown, StringBuilder text) {
        long resumed = done.resumedBytes();
        // A file streamed to the caller's channel has no path; the command line's is standard output.
        String saved = done.file() == null ? "standard output" : shown.apply(done.file());
        String asked = OutputTarget.baseName(done.fileName());
        text.append(saved.equals(asked) ? saved : Shown.name(done.fileName()) + " saved as " + saved).append(": ");
        if (done.size() == 0) {
            text.append("an empty file (0 B)\n");
            return;
        }
        int used = done.chunks().size();
        long fetched = done.size() - resumed;
        text.append(HumanFormat.bytes(done.size())).append(" in ").append(HumanFormat.seconds(done.elapsed()));
        if (fetched >= MIN_SIZE_FOR_A_RATE) {
            // After a resume the rate counts only the bytes fetched in this run.
            text.append(", ").append(HumanFormat.rate(fetched, done.elapsed()));
        }
        text.append(", ").append(used).append(used == 1 ? " chunk" : " chunks")
                .append(" from ").append(done.servers().size()).append(done.servers().size() == 1 ? " server" : " servers");
        // With several servers the next line names each, with what it delivered and its failures.
        if (!done.servers().isEmpty() && done.reports().size() < 2) {
            text.append(" (").append(done.servers().stream().map(ServerAddress::toString)
                    .collect(Collectors.joining(", "))).append(')');
        }
        if (resumed > 0) {
            text.append(", ").append(HumanFormat.bytes(resumed)).append(" of it resumed from the part file");
        }
        text.append(", ").append(verificationWord(done.verification())).append('\n');
    }

    private static void everyChunk(DownloadResult.Incomplete incomplete, StringBuilder text) {
        for (ChunkOutcome.Failed failed : incomplete.failed()) {
            text.append("  chunk ").append(failed.index()).append(", bytes ").append(failed.range());
            if (failed.received() > 0) {
                text.append(" (").append(failed.received()).append(" bytes received)");
            }
            text.append(":\n");
            for (ServerFailure failure : failed.failures()) {
                text.append("    ").append(failure).append('\n');
            }
        }
    }

    /**
     * Chunks that failed alike (the same servers, with failures of the same kinds) in one group:
     * their indexes condensed into ranges, then each server's failure once. Where the group's
     * chunks failed on a server in the same words, those words; where the words differ (bytes
     * counted, a server's own reasons), the kind's words, which have no numbers: {@code --verbose}
     * lists every chunk with its own.
     */
    private static void groupedChunks(DownloadResult.Incomplete incomplete, StringBuilder text) {
        Map<List<Failing>, List<ChunkOutcome.Failed>> groups = new LinkedHashMap<>();
        for (ChunkOutcome.Failed failed : incomplete.failed()) {
            groups.computeIfAbsent(failing(failed), _ -> new ArrayList<>()).add(failed);
        }
        int shownGroups = 0;
        int lines = 0;
        for (var group : groups.entrySet()) {
            int groupLines = 1 + group.getKey().size();
            if (shownGroups > 0 && lines + groupLines > MAX_GROUP_LINES) {
                int rest = groups.size() - shownGroups;
                text.append("  ... and ").append(rest).append(rest == 1 ? " more group" : " more groups")
                        .append(" of chunks; --verbose lists every chunk\n");
                break;
            }
            shownGroups++;
            lines += groupLines;
            List<ChunkOutcome.Failed> members = group.getValue();
            ChunkOutcome.Failed first = members.getFirst();
            long received = members.stream().mapToLong(ChunkOutcome.Failed::received).sum();
            if (members.size() == 1) {
                text.append("  chunk ").append(first.index()).append(", bytes ").append(first.range());
            } else {
                text.append("  chunks ").append(ranges(members.stream().map(ChunkOutcome.Failed::index).toList()));
            }
            if (received > 0) {
                text.append(" (").append(received).append(" bytes received)");
            }
            text.append(":\n");
            for (Failing failing : group.getKey()) {
                text.append("    ").append(failing.server()).append(": ").append(words(failing, members)).append('\n');
            }
        }
    }

    /** One kind of failure of one server. */
    private record Failing(ServerAddress server, ServerFailure.Kind kind) {}

    /** The kinds of failure of each server that a chunk met, once each, in the order they came. */
    private static List<Failing> failing(ChunkOutcome.Failed failed) {
        return failed.failures().stream().map(f -> new Failing(f.server(), f.kind())).distinct().toList();
    }

    /** What the group's chunks met on one server: their one reason if they share it, else the kind's words. */
    private static String words(Failing failing, List<ChunkOutcome.Failed> members) {
        List<String> reasons = members.stream().flatMap(m -> m.failures().stream())
                .filter(f -> f.server().equals(failing.server()) && f.kind() == failing.kind())
                .map(ServerFailure::reason).distinct().limit(2).toList();
        return reasons.size() == 1 ? reasons.getFirst() : failing.kind().words();
    }

    /** The most runs of chunk indexes one group's line shows. */
    static final int MAX_RUNS = 8;

    /** {@code 0-99, 150, 152-160}: sorted indexes with runs condensed; past {@link #MAX_RUNS}, a count. */
    static String ranges(List<Integer> indexes) {
        List<Integer> sorted = indexes.stream().sorted().toList();
        StringBuilder text = new StringBuilder();
        int runs = 0;
        for (int i = 0; i < sorted.size(); i++) {
            if (runs++ == MAX_RUNS) {
                return text.append(", ... (").append(sorted.size()).append(" chunks)").toString();
            }
            int start = sorted.get(i);
            int end = start;
            while (i + 1 < sorted.size() && sorted.get(i + 1) == end + 1) {
                end = sorted.get(++i);
            }
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(start);
            if (end > start) {
                text.append('-').append(end);
            }
        }
        return text.toString();
    }

    /** A local failure in one line: what happened, where, and what to do on the command line. */
    static String localFailure(DownloadResult.LocalFailure failure, Function<Path, String> shown) {
        return localFailure(failure, shown, true);
    }

    /**
     * As {@link #localFailure(DownloadResult.LocalFailure, Function)}; {@code partFilesKept}
     * false (for {@code -o -}) says that the bytes received went with the temporary folder.
     */
    static String localFailure(DownloadResult.LocalFailure failure, Function<Path, String> shown, boolean partFilesKept) {
        String target = shown.apply(failure.target());
        String part = shown.apply(PartFile.partPathFor(failure.target()));
        String detail = failure.detail().isEmpty() ? "" : ": " + failure.detail();
        return switch (failure.reason()) {
            case EXISTS -> target + " already exists; use --force to replace it";
            case IS_FOLDER -> target + " is a folder; name a file with --output <file>";
            case NOT_A_REGULAR_FILE -> target + " is not a regular file (a link, a FIFO or a device) and is never replaced;"
                    + " choose another --output, or -o - for standard output";
            case NO_FILE_NAME -> "'" + Shown.name(failure.fileName()) + "' has no file name to save under;"
                    + " name one with --output <file>";
            case IN_USE -> target + " is being written by another download"
                    + (failure.detail().isEmpty() ? "" : " (" + failure.detail() + ")")
                    + "; wait for it to end, or choose another --output";
            case NO_ROOM -> "no room for " + part + detail + "; free some, or choose another --output";
            case CANNOT_CREATE -> "cannot create " + part + detail;
            case CANNOT_READ -> "cannot read " + part + " back to check it" + detail + "; --no-resume starts over";
            case CANNOT_WRITE -> partFilesKept ? "cannot write " + part + detail + "; the bytes received are kept in " + part
                    + ", and the same command continues from them once there is room"
                    : "cannot write " + target + detail + "; nothing is kept to continue from";
            case CANNOT_SAVE -> "cannot save " + target + detail + (partFilesKept ? "; the data is kept in " + part
                    : "; nothing is kept to continue from");
        };
    }
}
