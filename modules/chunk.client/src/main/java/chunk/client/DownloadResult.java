package chunk.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** How one download ended. Only {@link Completed} leaves a file under the final name. */
public sealed interface DownloadResult
        permits DownloadResult.Completed, DownloadResult.Unavailable, DownloadResult.Incomplete,
                DownloadResult.LocalFailure, DownloadResult.Disputed, DownloadResult.ChecksumMismatch {

    /** The name that was asked of the servers. */
    String fileName();

    /**
     * The whole file is on disk under its final name.
     *
     * @param file where it was saved
     * @param size its length in bytes
     * @param elapsed from the first size request to the rename
     * @param servers the servers that delivered data, in the order of the server list
     * @param verification how the bytes were checked
     * @param reports what each server did, in the order of the server list
     * @param chunks each chunk's outcome, all completed
     */
    record Completed(String fileName, Path file, long size, Duration elapsed, List<ServerAddress> servers,
            Verification verification, List<ServerReport> reports, List<ChunkOutcome> chunks)
            implements DownloadResult {
        public Completed {
            servers = List.copyOf(servers);
            reports = List.copyOf(reports);
            chunks = List.copyOf(chunks);
        }
    }

    /**
     * No server told the size of the file, so nothing was downloaded or created.
     *
     * @param failures each server's reason, in the order they were asked
     */
    record Unavailable(String fileName, List<ServerFailure> failures) implements DownloadResult {
        public Unavailable {
            failures = List.copyOf(failures);
        }
    }

    /**
     * Some chunks could not be downloaded from any server. The bytes that did arrive are kept
     * in {@code partFile}; nothing was written under the final name.
     *
     * @param size the file's length as the server reported it
     * @param failed the chunks that are missing, by index
     * @param elapsed from the first question to the servers to the end
     * @param verification how the bytes that arrived were checked
     * @param reports what each server did, in the order of the server list
     */
    record Incomplete(String fileName, Path partFile, long size, List<ChunkOutcome.Failed> failed, Duration elapsed,
            Verification verification, List<ServerReport> reports)
            implements DownloadResult {
        public Incomplete {
            failed = List.copyOf(failed);
            reports = List.copyOf(reports);
        }
    }

    /**
     * The servers disagree on what the file is (its size, or its root), and nothing settles
     * which of them is right; or none has the root that was pinned. Nothing was downloaded.
     *
     * @param claims what each server said, in the order of the server list
     * @param problem what is wrong, for a person to read
     */
    record Disputed(String fileName, List<String> claims, String problem) implements DownloadResult {
        public Disputed {
            claims = List.copyOf(claims);
        }
    }

    /**
     * The whole file was downloaded but its SHA-256 is not the one given with {@code --sha256}.
     * Nothing was written under the final name and the part file was removed.
     *
     * @param expected the SHA-256 given, lowercase hex
     * @param actual the SHA-256 of what was downloaded
     * @param servers the servers the data came from
     */
    record ChecksumMismatch(String fileName, Path target, String expected, String actual, List<ServerAddress> servers)
            implements DownloadResult {
        public ChecksumMismatch {
            servers = List.copyOf(servers);
        }
    }

    /**
     * The file could not be written here: the output cannot be created or written (disk
     * full, permission), the name has no usable base name, or the file exists and replacing
     * it was not allowed.
     *
     * @param target the file it was to be saved as (or the folder, if no name could be made)
     * @param message what went wrong and what to do, for a person to read
     */
    record LocalFailure(String fileName, Path target, String message) implements DownloadResult {}
}
