package chunk.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** How one download ended. Only {@link Completed} leaves a file under the final name. */
public sealed interface DownloadResult
        permits DownloadResult.Completed, DownloadResult.Unavailable, DownloadResult.Incomplete,
                DownloadResult.LocalFailure, DownloadResult.Disputed, DownloadResult.ChecksumMismatch {

    /** The name that was asked of the servers. */
    String fileName();

    /**
     * The whole file is on disk under its final name, or was written whole to the stream.
     *
     * @param file where it was saved; null when it went to {@link DownloadOptions#stream()}
     * @param size its length in bytes
     * @param elapsed from the first size request to the rename
     * @param servers the servers that delivered data, in the order of the server list
     * @param verification how the bytes were checked
     * @param reports what each server did, in the order of the server list
     * @param chunks each chunk's outcome, all completed
     * @param resumedBytes the bytes an earlier run left in the part file, not fetched again
     */
    record Completed(String fileName, @Nullable Path file, long size, Duration elapsed, List<ServerAddress> servers,
            Verification verification, List<ServerReport> reports, List<ChunkOutcome> chunks, long resumedBytes)
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
     * in {@code partFile}; nothing was written under the final name. A streamed download kept
     * nothing: its first bytes, in order, went to the stream.
     *
     * @param partFile where the bytes received are kept; null for a streamed download
     * @param size the file's length as the server reported it
     * @param failed the chunks that are missing, by index
     * @param elapsed from the first question to the servers to the end
     * @param verification how the bytes that arrived were checked
     * @param reports what each server did, in the order of the server list
     * @param resumedBytes the bytes an earlier run left in the part file, not fetched again
     */
    record Incomplete(String fileName, @Nullable Path partFile, long size, List<ChunkOutcome.Failed> failed, Duration elapsed,
            Verification verification, List<ServerReport> reports, long resumedBytes)
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
     * The whole file was downloaded but it is not the one the user pinned: its SHA-256 is not the
     * one given with {@code --sha256}, or its digest-tree root not the one given with
     * {@code --root} (checked on the whole file where no server gave the tree to check pieces
     * against). Nothing was written under the final name and the part file was removed.
     *
     * @param expected the SHA-256 or root given, lowercase hex
     * @param actual the same of what was downloaded (from the last group tried, when there were several)
     * @param servers the servers the data came from (those of the last group tried)
     * @param tried each group of servers that was tried in turn, because the servers disagreed and no
     *     group was the largest, with what its file's digest was; one entry when there was no such tie
     * @param pin which of the two the file was checked against
     */
    record ChecksumMismatch(String fileName, Path target, String expected, String actual, List<ServerAddress> servers,
            List<Attempt> tried, Pin pin) implements DownloadResult {
        public ChecksumMismatch {
            servers = List.copyOf(servers);
            tried = List.copyOf(tried);
        }

        /** A mismatch of the whole file's SHA-256 from one group of servers, the only one tried. */
        public ChecksumMismatch(String fileName, Path target, String expected, String actual, List<ServerAddress> servers) {
            this(fileName, target, expected, actual, servers, List.of(new Attempt(servers, actual)), Pin.SHA256);
        }

        /** What the user pinned the file by. */
        public enum Pin {
            /** {@code --sha256}: the whole file's SHA-256. */
            SHA256("--sha256", "SHA-256"),
            /** {@code --root}: the file's digest-tree root (BEP 52's pieces root). */
            ROOT("--root", "root");

            private final String option;
            private final String what;

            Pin(String option, String what) {
                this.option = option;
                this.what = what;
            }

            /** The option that gave it: {@code --sha256}. */
            public String option() {
                return option;
            }

            /** What it is, in a sentence: {@code SHA-256}, {@code root}. */
            public String what() {
                return what;
            }
        }

        /**
         * One group of servers that agreed on the file, and the SHA-256 of what they gave.
         *
         * @param servers the servers the data came from
         * @param actual the SHA-256 of what they gave, lowercase hex
         */
        public record Attempt(List<ServerAddress> servers, String actual) {
            public Attempt {
                servers = List.copyOf(servers);
            }
        }
    }

    /**
     * The file could not be written here, for the {@link Reason}; nothing was written under the
     * final name.
     *
     * @param target the file it was to be saved as (or the folder, if no name could be made)
     * @param reason why, as a stable word: the caller says what to do about it
     * @param detail the system's words for the cause (such as {@code permission denied}), or
     *     the other download's process for {@link Reason#IN_USE}; empty if there is nothing to add
     */
    record LocalFailure(String fileName, Path target, Reason reason, String detail) implements DownloadResult {

        /** Why a file could not be saved. */
        public enum Reason {
            /** The target exists and replacing it was not allowed. */
            EXISTS,
            /** The target is a folder. */
            IS_FOLDER,
            /** The target is a link, a FIFO, a device or anything else that is not a regular file: never replaced. */
            NOT_A_REGULAR_FILE,
            /** The requested name has no base name to save under (such as {@code sub/..}). */
            NO_FILE_NAME,
            /** Another download is writing the same output (it holds the part file's lock). */
            IN_USE,
            /** The folder has less free space than the file still needs; nothing was created for it. */
            NO_ROOM,
            /** The part file beside the target cannot be created, opened or sized. */
            CANNOT_CREATE,
            /** The part file kept from an earlier run cannot be read back to check it. */
            CANNOT_READ,
            /** Writing into the part file failed (disk full, for example); the bytes received are kept in it. */
            CANNOT_WRITE,
            /** The complete part file could not be flushed or renamed to the target; the data is kept in it. */
            CANNOT_SAVE
        }
    }
}
