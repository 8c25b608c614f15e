package chunk.client;

import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to download: into how many chunks to split the file, where to save it, how long to wait
 * for servers and how to check what arrives. Built by name, from {@link #builder(int)} or
 * {@link #defaults(int)}; a {@code with…} method gives a copy with one setting changed.
 */
public final class DownloadOptions {

    /** The default connect timeout: 5 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The default stall timeout: 30 seconds. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);

    private final int chunks;
    private final Path directory;
    private final @Nullable Path output;
    private final boolean force;
    private final boolean fsync;
    private final Duration connectTimeout;
    private final Duration stallTimeout;
    private final boolean verify;
    private final @Nullable String sha256;
    private final @Nullable String root;
    private final boolean resume;
    private final List<X509Certificate> trustedCertificates;
    private final @Nullable WritableByteChannel stream;

    private DownloadOptions(Builder builder) {
        if (builder.chunks < 1) {
            throw new IllegalArgumentException("the number of chunks must be 1 or more, not " + builder.chunks);
        }
        if (!builder.connectTimeout.isPositive() || !builder.stallTimeout.isPositive()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        this.chunks = builder.chunks;
        this.directory = Objects.requireNonNull(builder.directory, "directory");
        this.output = builder.output;
        this.force = builder.force;
        this.fsync = builder.fsync;
        this.connectTimeout = builder.connectTimeout;
        this.stallTimeout = builder.stallTimeout;
        this.verify = builder.verify;
        this.sha256 = builder.sha256 == null ? null : requireHex(builder.sha256, "--sha256");
        this.root = builder.root == null ? null : requireHex(builder.root, "--root");
        this.resume = builder.resume;
        this.trustedCertificates = List.copyOf(builder.trustedCertificates);
        this.stream = builder.stream;
    }

    private static String requireHex(String hex, String what) {
        if (!hex.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(what + " needs 64 hex digits (a SHA-256), not '" + hex + "'");
        }
        return hex.toLowerCase(Locale.ROOT);
    }

    /**
     * A builder of {@code chunks} chunks saved in the current folder, no overwriting, fsync on,
     * every piece verified, resuming where a record allows, and the default timeouts.
     */
    public static Builder builder(int chunks) {
        return new Builder(chunks);
    }

    /** The options of {@link #builder(int)}, as they are. */
    public static DownloadOptions defaults(int chunks) {
        return builder(chunks).build();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** How many ranges to download in parallel, 1 or more; a file shorter than this is split into one-byte chunks. */
    public int chunks() {
        return chunks;
    }

    /**
     * The folder a relative {@link #output()} and the default output are resolved against (the
     * current folder for the command line).
     */
    public Path directory() {
        return directory;
    }

    /**
     * Where to save: a file, or an existing folder to save in under the file's base name;
     * {@code null} for the base name in {@link #directory()}.
     */
    public @Nullable Path output() {
        return output;
    }

    /** Whether an existing file may be replaced (only by the final rename, never before). */
    public boolean force() {
        return force;
    }

    /** Whether a complete file is flushed to disk before it is renamed, and pieces before they are recorded. */
    public boolean fsync() {
        return fsync;
    }

    /** How long a connection may take to open. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long a server may send nothing before it is given up on. */
    public Duration stallTimeout() {
        return stallTimeout;
    }

    /** Whether to check every piece against the servers' digests (where they give them). */
    public boolean verify() {
        return verify;
    }

    /** The whole file's SHA-256 in lowercase hex, checked before the rename; null for none. */
    public @Nullable String sha256() {
        return sha256;
    }

    /** The file's root in lowercase hex: only servers with this root are used; null for none. */
    public @Nullable String root() {
        return root;
    }

    /**
     * Whether a download continues from the resume record beside its part file, where there is
     * one that matches the file on the servers.
     */
    public boolean resume() {
        return resume;
    }

    /**
     * Certificates trusted for HTTPS mirrors besides the system's ({@code --ca-cert}): a
     * private CA's, or a mirror's own. Empty for the system's alone; checks are never off.
     */
    public List<X509Certificate> trustedCertificates() {
        return trustedCertificates;
    }

    /**
     * Where the file goes instead of a file of its own (standard output, say), or null to save
     * it. Its bytes are written in order, each piece once it and every piece before it arrived
     * (and matched its digest, where there are digests), while the download runs; at most
     * {@link #STREAM_WINDOW} bytes wait in a temporary file meanwhile. With {@link #sha256()},
     * which only the whole file can be checked against, the file is downloaded whole first and
     * written out only if it matches. Nothing resumes a streamed download.
     */
    public @Nullable WritableByteChannel stream() {
        return stream;
    }

    /**
     * The most bytes of a streamed download that wait, in a temporary file, for the bytes before
     * them: the fetching runs at most this far ahead of what has been written out. 64 MiB.
     */
    public static final long STREAM_WINDOW = 64L << 20;

    public DownloadOptions withChunks(int chunks) {
        return toBuilder().chunks(chunks).build();
    }

    public DownloadOptions withDirectory(Path directory) {
        return toBuilder().directory(directory).build();
    }

    public DownloadOptions withOutput(@Nullable Path output) {
        return toBuilder().output(output).build();
    }

    public DownloadOptions withForce(boolean force) {
        return toBuilder().force(force).build();
    }

    public DownloadOptions withFsync(boolean fsync) {
        return toBuilder().fsync(fsync).build();
    }

    public DownloadOptions withConnectTimeout(Duration connectTimeout) {
        return toBuilder().connectTimeout(connectTimeout).build();
    }

    public DownloadOptions withStallTimeout(Duration stallTimeout) {
        return toBuilder().stallTimeout(stallTimeout).build();
    }

    public DownloadOptions withVerify(boolean verify) {
        return toBuilder().verify(verify).build();
    }

    public DownloadOptions withSha256(@Nullable String sha256) {
        return toBuilder().sha256(sha256).build();
    }

    public DownloadOptions withRoot(@Nullable String root) {
        return toBuilder().root(root).build();
    }

    public DownloadOptions withResume(boolean resume) {
        return toBuilder().resume(resume).build();
    }

    @Override
    public String toString() {
        return "DownloadOptions[chunks=" + chunks + ", directory=" + directory + ", output=" + output + ", force=" + force
                + ", fsync=" + fsync + ", connectTimeout=" + connectTimeout + ", stallTimeout=" + stallTimeout
                + ", verify=" + verify + ", sha256=" + sha256 + ", root=" + root + ", resume=" + resume
                + ", trustedCertificates=" + trustedCertificates.size() + (stream == null ? "" : ", stream") + "]";
    }

    /** Sets each option by name; {@link #build()} checks them together. */
    public static final class Builder {
        private int chunks;
        private Path directory = Path.of("");
        private @Nullable Path output;
        private boolean force;
        private boolean fsync = true;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration stallTimeout = DEFAULT_STALL_TIMEOUT;
        private boolean verify = true;
        private @Nullable String sha256;
        private @Nullable String root;
        private boolean resume = true;
        private List<X509Certificate> trustedCertificates = List.of();
        private @Nullable WritableByteChannel stream;

        private Builder(int chunks) {
            this.chunks = chunks;
        }

        private Builder(DownloadOptions options) {
            this.chunks = options.chunks;
            this.directory = options.directory;
            this.output = options.output;
            this.force = options.force;
            this.fsync = options.fsync;
            this.connectTimeout = options.connectTimeout;
            this.stallTimeout = options.stallTimeout;
            this.verify = options.verify;
            this.sha256 = options.sha256;
            this.root = options.root;
            this.resume = options.resume;
            this.trustedCertificates = options.trustedCertificates;
            this.stream = options.stream;
        }

        /** @see DownloadOptions#chunks() */
        public Builder chunks(int chunks) {
            this.chunks = chunks;
            return this;
        }

        /** @see DownloadOptions#directory() */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** @see DownloadOptions#output() */
        public Builder output(@Nullable Path output) {
            this.output = output;
            return this;
        }

        /** @see DownloadOptions#force() */
        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        /** @see DownloadOptions#fsync() */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /** @see DownloadOptions#connectTimeout() */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** @see DownloadOptions#stallTimeout() */
        public Builder stallTimeout(Duration stallTimeout) {
            this.stallTimeout = Objects.requireNonNull(stallTimeout, "stallTimeout");
            return this;
        }

        /** @see DownloadOptions#verify() */
        public Builder verify(boolean verify) {
            this.verify = verify;
            return this;
        }

        /** @see DownloadOptions#sha256() */
        public Builder sha256(@Nullable String sha256) {
            this.sha256 = sha256;
            return this;
        }

        /** @see DownloadOptions#root() */
        public Builder root(@Nullable String root) {
            this.root = root;
            return this;
        }

        /** @see DownloadOptions#resume() */
        public Builder resume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** @see DownloadOptions#trustedCertificates() */
        public Builder trustedCertificates(List<X509Certificate> trustedCertificates) {
            this.trustedCertificates = List.copyOf(trustedCertificates);
            return this;
        }

        /** @see DownloadOptions#stream() */
        public Builder stream(@Nullable WritableByteChannel stream) {
            this.stream = stream;
            return this;
        }

        /**
         * The options as set.
         *
         * @throws IllegalArgumentException if chunks is below 1, a timeout is not positive, or a
         *     hash is not 64 hex digits
         */
        public DownloadOptions build() {
            return new DownloadOptions(this);
        }
    }
}
