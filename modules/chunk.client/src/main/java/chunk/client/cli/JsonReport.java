package chunk.client.cli;

import chunk.client.ChunkOutcome;
import chunk.client.DownloadResult;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.ServerReport;
import chunk.client.Verification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** {@code --json}: one JSON object on one line per file, as the man page myclient(1) says ("JSON output"). */
final class JsonReport {

    private JsonReport() {}

    /** The object for {@code result}, without a line end. */
    static String of(DownloadResult result, Function<Path, String> shown) {
        Json json = new Json();
        json.open();
        json.field("name").string(result.fileName());
        switch (result) {
            case DownloadResult.Completed done -> {
                common(json, "completed", done.size(), done.elapsed(), done.file() == null ? null : shown.apply(done.file()), null);
                json.field("resumed").number(done.resumedBytes());
                verification(json, done.verification());
                servers(json, done.reports());
                chunks(json, done.chunks());
            }
            case DownloadResult.Incomplete incomplete -> {
                common(json, "incomplete", incomplete.size(), incomplete.elapsed(),
                        incomplete.partFile() == null ? null : shown.apply(incomplete.partFile()),
                        "not all chunks are downloaded");
                json.field("resumed").number(incomplete.resumedBytes());
                verification(json, incomplete.verification());
                servers(json, incomplete.reports());
                chunks(json, List.copyOf(incomplete.failed()));
            }
            case DownloadResult.Unavailable unavailable -> {
                common(json, "unavailable", -1, null, null, "no server could provide the file");
                failures(json, unavailable.failures());
            }
            case DownloadResult.LocalFailure failure ->
                    common(json, "local-failure", -1, null, shown.apply(failure.target()), Summary.localFailure(failure, shown));
            case DownloadResult.Disputed disputed -> {
                common(json, "disputed", -1, null, null, disputed.problem());
                json.field("claims").open('[');
                disputed.claims().forEach(claim -> json.string(claim));
                json.close(']');
            }
            case DownloadResult.ChecksumMismatch mismatch -> {
                // Nothing was saved under the target: no file to name.
                common(json, "checksum-mismatch", -1, null, null,
                        "the file does not match " + mismatch.pin().option());
                // expectedSha256 and actualSha256, or expectedRoot and actualRoot: what the file was pinned by.
                String pinned = mismatch.pin() == DownloadResult.ChecksumMismatch.Pin.SHA256 ? "Sha256" : "Root";
                json.field("expected" + pinned).string(mismatch.expected());
                json.field("actual" + pinned).string(mismatch.actual());
                json.field("tried").open('[');
                for (DownloadResult.ChecksumMismatch.Attempt attempt : mismatch.tried()) {
                    json.open();
                    json.field("servers").open('[');
                    attempt.servers().stream().map(ServerAddress::toString).forEach(json::string);
                    json.close(']');
                    json.field(mismatch.pin() == DownloadResult.ChecksumMismatch.Pin.SHA256 ? "sha256" : "root")
                            .string(attempt.actual());
                    json.close();
                }
                json.close(']');
            }
        }
        json.field("exitCode").number(Summary.exitCode(result).code());
        json.close();
        return json.toString();
    }

    private static void common(Json json, String outcome, long size, @Nullable Duration elapsed, @Nullable String file,
            @Nullable String message) {
        json.field("outcome").string(outcome);
        if (file != null) {
            json.field("file").string(file);
        }
        if (size >= 0) {
            json.field("size").number(size);
        }
        if (elapsed != null) {
            json.field("seconds").decimal(elapsed.toNanos() / 1e9);
        }
        if (message != null) {
            json.field("message").string(message);
        }
    }

    private static void verification(Json json, Verification verification) {
        json.field("verification").open();
        json.field("status").string(verification.status().word());
        json.field("root").stringOrNull(verification.root());
        json.field("pieceLength").number(verification.pieceLength());
        json.field("sha256").stringOrNull(verification.sha256());
        json.close();
    }

    private static void servers(Json json, List<ServerReport> reports) {
        json.field("servers").open('[');
        for (ServerReport report : reports) {
            json.open();
            json.field("server").string(report.server().toString());
            json.field("bytes").number(report.bytes());
            json.field("bytesPerSecond").number(Math.round(report.bytesPerSecond()));
            json.field("connectionBytesPerSecond").number(Math.round(report.connectionBytesPerSecond()));
            json.field("failures").open('[');
            report.failures().forEach(failure -> json.string(failure.reason()));
            json.close(']');
            json.field("leftOut").stringOrNull(report.leftOut());
            json.close();
        }
        json.close(']');
    }

    private static void chunks(Json json, List<? extends ChunkOutcome> chunks) {
        json.field("chunks").open('[');
        for (ChunkOutcome chunk : chunks) {
            json.open();
            json.field("index").number(chunk.index());
            json.field("offset").number(chunk.range().offset());
            json.field("length").number(chunk.range().length());
            switch (chunk) {
                case ChunkOutcome.Completed done -> {
                    json.field("complete").bool(true);
                    json.field("servers").open('[');
                    done.servers().stream().map(ServerAddress::toString).forEach(json::string);
                    json.close(']');
                    json.field("failures").open('[');
                    done.failures().stream().map(ServerFailure::toString).forEach(json::string);
                    json.close(']');
                }
                case ChunkOutcome.Failed failed -> {
                    json.field("complete").bool(false);
                    json.field("received").number(failed.received());
                    json.field("failures").open('[');
                    failed.failures().stream().map(ServerFailure::toString).forEach(json::string);
                    json.close(']');
                }
            }
            json.close();
        }
        json.close(']');
    }

    private static void failures(Json json, List<ServerFailure> failures) {
        json.field("failures").open('[');
        failures.stream().map(ServerFailure::toString).forEach(json::string);
        json.close(']');
    }

    /** A small JSON writer: commas where they belong, strings escaped. */
    private static final class Json {
        private final StringBuilder text = new StringBuilder();
        private boolean first = true;

        Json open() {
            return open('{');
        }

        Json open(char bracket) {
            comma();
            text.append(bracket);
            first = true;
            return this;
        }

        void close() {
            close('}');
        }

        void close(char bracket) {
            text.append(bracket);
            first = false;
        }

        Json field(String name) {
            comma();
            quote(name);
            text.append(':');
            first = true;
            return this;
        }

        void string(String value) {
            comma();
            quote(value);
        }

        void stringOrNull(@Nullable String value) {
            if (value == null) {
                comma();
                text.append("null");
            } else {
                string(value);
            }
        }

        void number(long value) {
            comma();
            text.append(value);
        }

        void decimal(double value) {
            comma();
            text.append(String.format(Locale.ROOT, "%.3f", value));
        }

        void bool(boolean value) {
            comma();
            text.append(value);
        }

        private void comma() {
            if (!first) {
                text.append(',');
            }
            first = false;
        }

        private void quote(String value) {
            text.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> text.append("\\\"");
                    case '\\' -> text.append("\\\\");
                    case '\n' -> text.append("\\n");
                    case '\r' -> text.append("\\r");
                    case '\t' -> text.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            text.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            text.append(c);
                        }
                    }
                }
            }
            text.append('"');
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
