package chunk.server.internal;

import chunk.server.ServerConfig;
import chunk.server.internal.digests.TreeCacheFolder;
import chunk.wire.cli.Completion;
import chunk.wire.cli.Option;
import chunk.wire.cli.Tokenizer;
import chunk.wire.cli.Usage;
import chunk.wire.cli.UsageException;
import chunk.wire.cli.Values;
import chunk.wire.cli.Verbosity;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Parses {@code myserver}'s arguments into what to do, with the grammar both programs share
 * ({@link Tokenizer}); never exits or prints itself. To add an option: add its {@link Option}
 * constant below and to {@link #OPTIONS} (the help, the man page and the shell completions are
 * made from that table, through {@link ServerManual}), then read it in {@link #parseOrThrow}
 * into the {@link ServerConfig.Builder}.
 */
final class CommandLine {

    static final Option ROOT = Option.valued("--root", "<dir>", "folder to serve (default: the current directory)")
            .described("""
                    Only its regular files are served; see What it serves. A folder that is missing \
                    or cannot be read is a usage error (exit 2).""")
            .completing(Completion.FOLDERS);
    static final Option BIND = Option.valued("--bind", "<address>", "local address to listen on (default: all interfaces)")
            .described("""
                    An IPv4 or IPv6 address of this machine (IPv6 bare or in brackets: ::1 or [::1]), or a \
                    host name that resolves to one. Without it myserver listens on every interface, as the \
                    original does: anyone who can reach the machine can read the folder. \
                    --bind 127.0.0.1 keeps it to this machine.""");
    static final Option BACKLOG = Option.valued("--backlog", "<n>",
            "connections queued before they are accepted (default: the system's largest,\n"
                    + "/proc/sys/net/core/somaxconn, at least " + ServerConfig.MIN_DEFAULT_BACKLOG + ")")
            .described("The kernel caps it at /proc/sys/net/core/somaxconn.");
    static final Option MAX_CLIENTS = Option.valued("--max-clients", "<n>",
            "transfers served at once (default: " + ServerConfig.DEFAULT_MAX_CLIENTS + "; 1 = one at a time); a request\n"
                    + "waits for a place up to the header timeout, then gets \"server busy\"");
    static final Option MAX_CONNECTIONS = Option.valued("--max-connections", "<n>",
            "connections open at once, served or waiting for their request\n(default: "
                    + ServerConfig.DEFAULT_MAX_CONNECTIONS + ", lowered to fit the open file limit)")
            .described("""
                    More wait in the backlog. At start it is lowered, with a note on standard error, to fit \
                    the open file limit (ulimit -n) less the transfers and 128; for more than about 10,000 \
                    connections raise the hard limit (ulimit -n, or LimitNOFILE= for a systemd service) \
                    before starting myserver.""");
    static final Option MAX_WAITING_PER_ADDRESS = Option.valued("--max-waiting-per-address", "<n>",
            "connections from one address waiting for their request (default: "
                    + ServerConfig.DEFAULT_MAX_WAITING_PER_ADDRESS + ");\nabove it, the one silent longest is closed")
            .described("""
                    Above it, a new connection from that address is let in and the one that has waited \
                    longest without sending a byte is closed (too-many-waiting in the access log) once it has \
                    been silent for a second: a burst's connections, all opened before the first request is \
                    sent, are not silent that long, and idle connections never lock out a real client behind \
                    the same address. Connections above their address's limit may take half of \
                    --max-connections; one that finds that taken is answered "server busy".""");
    static final Option HEADER_TIMEOUT = Option.valued("--header-timeout", "<s>",
            "seconds a client may take to send its whole request (default: "
                    + ServerConfig.DEFAULT_HEADER_TIMEOUT.toSeconds() + ")")
            .described("""
                    Counted from the connection's acceptance, and for a kept-open connection from the end of \
                    the previous reply; decimals allowed.""");
    static final Option IDLE_TIMEOUT = Option.valued("--idle-timeout", "<s>",
            "seconds a transfer may stall before it is disconnected (default: "
                    + ServerConfig.DEFAULT_IDLE_TIMEOUT.toSeconds() + ")")
            .described("Decimals allowed; see Idle transfers.");
    static final Option RATE_LIMIT = Option.valued("--rate-limit", "<bytes/s>",
            "per connection; suffixes k, M, G (powers of 1024); 0 = none (default)");
    static final Option TOTAL_RATE_LIMIT = Option.valued("--total-rate-limit", "<bytes/s>",
            "the whole server, shared by all transfers; same suffixes; 0 = none (default)")
            .described("All transfers share it evenly: they take turns, a fiftieth of a second's worth each.");
    static final Option DIGEST_CACHE = Option.valued("--digest-cache", "<dir>",
            "where the files' digest trees are kept across restarts, outside the served folder\n"
                    + "(default: $XDG_CACHE_HOME/chunk/digests or ~/.cache/chunk/digests); none = memory only")
            .described("""
                    A restarted server answers DIGESTS for an unchanged file at once from it. Each entry is \
                    checked when read: one cut short, damaged, of another file or of another version is removed \
                    and the file hashed again. A folder inside the served one is refused (exit 2); a default \
                    that cannot be used (or lies inside the served folder, as when serving the home folder) \
                    costs a warning and memory only. Several servers may share a folder.""")
            .completing(Completion.FOLDERS);
    static final Option DIGEST_CACHE_SIZE = Option.valued("--digest-cache-size", "<bytes>",
            "the most the digest cache folder holds, least recently used out first; suffixes k, M, G\n(default: "
                    + (ServerConfig.DEFAULT_DIGEST_CACHE_BYTES >> 30) + "G, the trees of "
                    + (ServerConfig.DEFAULT_DIGEST_CACHE_BYTES >> 30) * 512 + " GiB of files)");
    static final Option NO_BACKGROUND_HASHING = Option.flag("--no-background-hashing",
            "hash a file only when a client first asks for its digests, not the whole folder\n"
                    + "once listening (for a folder too large to hash)")
            .described("""
                    By default myserver hashes every file it serves once it listens, and each file that \
                    appears or changes later, on half the cores at most and a sixteenth of a core while it \
                    sends a reply; a file a client asks for goes first.""");
    static final Option PRINT_ROOT = Option.flag("--print-root",
            "print the root of each <file> given instead of a port (its BitTorrent v2 pieces root,\n"
                    + "what myclient --root takes) and exit")
            .described("""
                    myserver --print-root <file>... prints <hex>  <file> for each, as sha256sum does, hashed \
                    from the file (never from the cache): the 32 bytes a v2 torrent names the file by, and \
                    what myserver answers as its root. Exit 1 if a file cannot be read.""");
    static final Option QUIET = Option.quiet("no access log lines")
            .described("The start-up line stays.");
    static final Option VERBOSE = Option.verbose("debug messages and stack traces on stderr")
            .described("""
                    Debug lines say why a request was refused and why a connection ended early, in the \
                    access log's word; a stack trace is printed only for an internal error.""");

    /** Every option, in the order of the help. */
    static final List<Option> OPTIONS = List.of(ROOT, BIND, BACKLOG, MAX_CLIENTS, MAX_CONNECTIONS,
            MAX_WAITING_PER_ADDRESS, HEADER_TIMEOUT, IDLE_TIMEOUT, RATE_LIMIT, TOTAL_RATE_LIMIT,
            DIGEST_CACHE, DIGEST_CACHE_SIZE, NO_BACKGROUND_HASHING, PRINT_ROOT, QUIET, VERBOSE, Option.HELP, Option.VERSION);

    /** The value of {@link #DIGEST_CACHE} that keeps digest trees in memory only. */
    static final String NO_DIGEST_CACHE = "none";

    /** The text of {@code --help}, from the manual; made only when asked for. */
    static String usage() {
        return Usage.help(ServerManual.manual());
    }

    /** What the arguments ask for. */
    sealed interface Command {}

    /**
     * Serve a folder.
     *
     * @param digestCacheGiven whether {@code --digest-cache} was given: if not, a default folder
     *     that cannot be used costs a warning and memory only, not the start
     */
    record Serve(ServerConfig config, boolean quiet, boolean verbose, boolean digestCacheGiven) implements Command {}

    /** Print the digest-tree root of each file, then exit. */
    record PrintRoot(List<Path> files, boolean verbose) implements Command {}

    record ShowHelp() implements Command {}

    record ShowVersion() implements Command {}

    /** A bad argument: {@code message} says what was wrong, for one line on stderr. */
    record Invalid(String message) implements Command {}

    private CommandLine() {}

    static Command parse(List<String> args, Path currentDirectory) {
        return parse(args, currentDirectory, TreeCacheFolder.defaultFolder(System.getenv(), Path.of(System.getProperty("user.home"))));
    }

    /** @param defaultDigestCache the folder for digest trees when {@code --digest-cache} is not given */
    static Command parse(List<String> args, Path currentDirectory, Path defaultDigestCache) {
        try {
            return parseOrThrow(args, currentDirectory, defaultDigestCache);
        } catch (UsageException e) {
            return new Invalid(e.getMessage());
        }
    }

    private static Command parseOrThrow(List<String> args, Path currentDirectory, Path defaultDigestCache)
            throws UsageException {
        Tokenizer.Arguments arguments = Tokenizer.tokenize(OPTIONS, args);
        if (arguments.stoppedAt(Option.HELP)) {
            return new ShowHelp();
        }
        if (arguments.stoppedAt(Option.VERSION)) {
            return new ShowVersion();
        }
        Verbosity verbosity = arguments.verbosity();
        List<String> positional = arguments.positional();
        if (arguments.has(PRINT_ROOT)) {
            if (positional.isEmpty()) {
                throw new UsageException("--print-root needs at least one file");
            }
            List<Path> files = new ArrayList<>();
            for (String file : positional) {
                files.add(parseFile(file, currentDirectory));
            }
            return new PrintRoot(List.copyOf(files), verbosity == Verbosity.VERBOSE);
        }
        if (positional.isEmpty()) {
            throw new UsageException("no port given");
        }
        if (positional.size() > 1) {
            throw new UsageException("unexpected argument '" + positional.get(1) + "' (the port is already "
                    + positional.get(0) + ")");
        }
        ServerConfig.Builder config = ServerConfig.builder(parseRoot(arguments.value(ROOT).orElse(null), currentDirectory))
                .port(parsePort(positional.get(0)));
        if (arguments.value(BIND).isPresent()) {
            config.bindAddress(parseAddress(arguments.value(BIND).get()));
        }
        if (arguments.value(BACKLOG).isPresent()) {
            config.backlog(parseCount(BACKLOG.name(), arguments.value(BACKLOG).get()));
        }
        if (arguments.value(MAX_CLIENTS).isPresent()) {
            config.maxClients(parseCount(MAX_CLIENTS.name(), arguments.value(MAX_CLIENTS).get()));
        }
        if (arguments.value(MAX_CONNECTIONS).isPresent()) {
            config.maxConnections(parseCount(MAX_CONNECTIONS.name(), arguments.value(MAX_CONNECTIONS).get()));
        }
        if (arguments.value(MAX_WAITING_PER_ADDRESS).isPresent()) {
            config.maxWaitingPerAddress(parseCount(MAX_WAITING_PER_ADDRESS.name(), arguments.value(MAX_WAITING_PER_ADDRESS).get()));
        }
        if (arguments.value(HEADER_TIMEOUT).isPresent()) {
            config.headerTimeout(parseSeconds(HEADER_TIMEOUT.name(), arguments.value(HEADER_TIMEOUT).get()));
        }
        if (arguments.value(IDLE_TIMEOUT).isPresent()) {
            config.idleTimeout(parseSeconds(IDLE_TIMEOUT.name(), arguments.value(IDLE_TIMEOUT).get()));
        }
        if (arguments.value(RATE_LIMIT).isPresent()) {
            config.rateLimit(parseRate(RATE_LIMIT.name(), arguments.value(RATE_LIMIT).get()));
        }
        if (arguments.value(TOTAL_RATE_LIMIT).isPresent()) {
            config.totalRateLimit(parseRate(TOTAL_RATE_LIMIT.name(), arguments.value(TOTAL_RATE_LIMIT).get()));
        }
        Optional<String> digestCache = arguments.value(DIGEST_CACHE);
        config.digestCache(digestCache.isEmpty() ? defaultDigestCache : parseDigestCache(digestCache.get(), currentDirectory));
        if (arguments.value(DIGEST_CACHE_SIZE).isPresent()) {
            config.digestCacheBytes(parseBytes(DIGEST_CACHE_SIZE.name(), arguments.value(DIGEST_CACHE_SIZE).get()));
        }
        config.backgroundHashing(!arguments.has(NO_BACKGROUND_HASHING));
        return new Serve(config.build(), verbosity == Verbosity.QUIET, verbosity == Verbosity.VERBOSE, digestCache.isPresent());
    }

    static int parsePort(String text) throws UsageException {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException("bad port '" + text + "': give a number from 0 to 65535");
        }
        if (port < 0 || port > 65_535) {
            throw new UsageException("bad port " + text + ": give a number from 0 to 65535");
        }
        return port;
    }

    private static Path parseRoot(String text, Path currentDirectory) throws UsageException {
        if (text == null) {
            return currentDirectory;
        }
        Path root;
        try {
            root = currentDirectory.resolve(text);
        } catch (InvalidPathException e) {
            throw new UsageException("bad folder '" + text + "': " + e.getReason());
        }
        if (!Files.exists(root)) {
            throw new UsageException("no such folder: " + text);
        }
        if (!Files.isDirectory(root)) {
            throw new UsageException("not a folder: " + text);
        }
        if (!Files.isReadable(root) || !Files.isExecutable(root)) {
            throw new UsageException("cannot read the folder " + text);
        }
        return root;
    }

    private static @Nullable Path parseDigestCache(String text, Path currentDirectory) throws UsageException {
        if (text.equals(NO_DIGEST_CACHE)) {
            return null;
        }
        if (text.isEmpty()) {
            throw new UsageException("--digest-cache needs a folder, or none");
        }
        try {
            return currentDirectory.resolve(text);
        } catch (InvalidPathException e) {
            throw new UsageException("bad folder '" + text + "' for --digest-cache: " + e.getReason());
        }
    }

    private static Path parseFile(String text, Path currentDirectory) throws UsageException {
        try {
            return currentDirectory.resolve(text);
        } catch (InvalidPathException e) {
            throw new UsageException("bad file name '" + text + "': " + e.getReason());
        }
    }

    /** A size in bytes, with the suffixes of the rates; at least 1. */
    static long parseBytes(String option, String text) throws UsageException {
        long bytes;
        try {
            bytes = parseRate(option, text);
        } catch (UsageException e) {
            bytes = 0;
        }
        if (bytes < 1) {
            throw new UsageException("bad " + option + " '" + text + "': give a size in bytes, like 500M or 4G");
        }
        return bytes;
    }

    private static InetAddress parseAddress(String text) throws UsageException {
        String host = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (host.isEmpty()) {
            throw new UsageException("--bind needs an address");
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UsageException("unknown address for --bind: " + text);
        }
    }

    private static int parseCount(String option, String text) throws UsageException {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("bad " + option + " '" + text + "': give a whole number of at least 1");
    }

    /** Seconds as both programs read them ({@link Values#seconds}). */
    static Duration parseSeconds(String option, String text) throws UsageException {
        return Values.seconds(option, text);
    }

    static long parseRate(String option, String text) throws UsageException {
        String number = text;
        long unit = 1;
        if (!text.isEmpty()) {
            switch (Character.toLowerCase(text.charAt(text.length() - 1))) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                default -> unit = 1;
            }
            if (unit != 1) {
                number = text.substring(0, text.length() - 1);
            }
        }
        try {
            BigDecimal bytes = new BigDecimal(number).multiply(BigDecimal.valueOf(unit));
            if (bytes.signum() >= 0 && bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
                return bytes.longValue();
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("bad " + option + " '" + text + "': give bytes per second, like 500k or 10M (0 = no limit)");
    }
}
