package chunk.client;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How to download: into how many chunks to split the file, where to save it, and how long to
 * wait for servers. Start from {@link #defaults(int)} and change what you need with the
 * {@code with…} methods.
 *
 * @param chunks how many ranges to download in parallel, 1 or more; a file shorter than this
 *     is split into one-byte chunks
 * @param directory the folder a relative {@code output} and the default output are resolved
 *     against (the current folder for the command line)
 * @param output where to save: a file, or an existing folder to save in under the file's base
 *     name; {@code null} for the base name in {@code directory}
 * @param force whether an existing file may be replaced (only by the final rename, never before)
 * @param fsync whether a complete file is flushed to disk before it is renamed
 * @param connectTimeout how long a connection may take to open
 * @param stallTimeout how long a server may send nothing before it is given up on
 * @param verify whether to check every piece against the servers' digests (where they give them)
 * @param sha256 the whole file's SHA-256 in hex, checked before the rename; null for none
 * @param root the file's root at 1 MiB pieces in hex: only servers with this root are used; null for none
 * @param resume whether a download continues from the resume record beside its part file,
 *     where there is one that matches the file on the servers
 */
public record DownloadOptions(
        int chunks,
        Path directory,
        @Nullable Path output,
        boolean force,
        boolean fsync,
        Duration connectTimeout,
        Duration stallTimeout,
        boolean verify,
        @Nullable String sha256,
        @Nullable String root,
        boolean resume) {

    /** The default connect timeout: 5 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The default stall timeout: 30 seconds. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);

    /** @throws IllegalArgumentException if chunks is below 1 or a timeout is not positive */
    public DownloadOptions {
        if (chunks < 1) {
            throw new IllegalArgumentException("the number of chunks must be 1 or more, not " + chunks);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        sha256 = sha256 == null ? null : requireHex(sha256, "--sha256");
        root = root == null ? null : requireHex(root, "--root");
    }

    private static String requireHex(String hex, String what) {
        if (!hex.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(what + " needs 64 hex digits (a SHA-256), not '" + hex + "'");
        }
        return hex.toLowerCase(java.util.Locale.ROOT);
    }

    /** The options with {@code resume} on. */
    public DownloadOptions(int chunks, Path directory, @Nullable Path output, boolean force, boolean fsync,
            Duration connectTimeout, Duration stallTimeout, boolean verify, @Nullable String sha256, @Nullable String root) {
        this(chunks, directory, output, force, fsync, connectTimeout, stallTimeout, verify, sha256, root, true);
    }

    /**
     * {@code chunks} chunks saved in the current folder, no overwriting, fsync on, and the
     * default timeouts.
     */
    public static DownloadOptions defaults(int chunks) {
        return new DownloadOptions(chunks, Path.of(""), null, false, true, DEFAULT_CONNECT_TIMEOUT, DEFAULT_STALL_TIMEOUT,
                true, null, null, true);
    }

    public DownloadOptions withChunks(int chunks) {
        return new DownloadOptions(chunks, directory, output, force, fsync, connectTimeout, stallTimeout, verify, sha256, root, resume);
    }

    public DownloadOptions withDirectory(Path directory) {
        return new DownloadOptions(chunks, directory, output, force, fsync, connectTimeout, stallTimeout, verify, sha256, root, resume);
    }

    public DownloadOptions withOutput(@Nullable Path output) {
        return new DownloadOptions(chunks, directory, output, force, fsync, connectTimeout, stallTimeout, verify, sha256, root, resume);
    }

    public DownloadOptions withForce(boolean force) {
        return new DownloadOptions(chunks, directory, output, force, fsync, connectTimeout, stallTimeout, verify, sha256, root, resume);
    }

    public DownloadOptions withFsync(boolean fsync) {
        return new DownloadOptions(chunks, directory, output, force, fsync, connectTimeout, stallTimeout, verify, sha256, root, resume);
    }

    public DownloadOptions withConnectTimeout(Duration connectTimeout) {
        return new DownloadOptions(chunks, directory, output, force, fsync, connectTimeout, stallTimeout, verify, sha256, root, resume);
    }

    public DownloadOptions withStallTimeout(Duration stallTimeout) {
        return new DownloadOptions(chunks, directory, output, force, fsync, connectTimeout, stallTimeout, verify, sha256, root, resume);
    }

    public DownloadOptions withVerify(boolean verify) {
        return new DownloadOptions(chunks, directory, output, force, fsync, connectTimeout, stallTimeout, verify, sha256, root, resume);
    }

    public DownloadOptions withSha256(@Nullable String sha256) {
        return new DownloadOptions(chunks, directory, output, force, fsync, connectTimeout, stallTimeout, verify, sha256, root, resume);
    }

    public DownloadOptions withRoot(@Nullable String root) {
        return new DownloadOptions(chunks, directory, output, force, fsync, connectTimeout, stallTimeout, verify, sha256, root, resume);
    }

    public DownloadOptions withResume(boolean resume) {
        return new DownloadOptions(chunks, directory, output, force, fsync, connectTimeout, stallTimeout, verify, sha256, root, resume);
    }
}
