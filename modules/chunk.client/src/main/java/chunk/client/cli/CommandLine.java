package chunk.client.cli;

import chunk.client.DownloadOptions;
import chunk.client.ServerAddress;
import chunk.client.text.HumanFormat;
import chunk.client.text.Shown;
import chunk.wire.cli.Completion;
import chunk.wire.cli.Option;
import chunk.wire.cli.Tokenizer;
import chunk.wire.cli.Usage;
import chunk.wire.cli.UsageException;
import chunk.wire.cli.Values;
import chunk.wire.cli.Verbosity;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the command line asks for, read with the grammar both programs share
 * ({@link Tokenizer}). To add an option: add its {@link Option} constant below and to
 * {@link #OPTIONS} (the help, the man page and the shell completions are made from that table,
 * through {@link ClientManual}), read it in {@link #parse}, and
 * give it to {@link DownloadOptions} (or, if only the command line uses it, to {@link Download}).
 */
sealed interface CommandLine {

    /** The ways myclient is called, after its name: with a servers file, with servers on the command line, with URLs. */
    List<String> SYNOPSES = List.of(
            "[options] <servers-file> <chunks> [file-name...]",
            "[options] -s <server> [-s <server>...] [file-name...]",
            "[options] [-s <server>...] <url> [<url>...]");

    /**
     * The most chunks one download may have. Every chunk's task, range and outcome stay in
     * memory until the download ends: for a 5 MiB file 10000 chunks took 115 MB and 4.5 s;
     * 100000 took 719 MB and 17 s, and millions exhausted the heap (docs/BENCHMARKS.md, "What
     * was measured, and what changed"). A version-1 server answers one request per connection,
     * and 10000 also stays well inside the ephemeral ports a client has for one server.
     */
    int MAX_CHUNKS = 10_000;

    /** {@code <chunks>} where the servers are on the command line: one per server, and at least this many. */
    int DEFAULT_CHUNKS = 4;

    Option SERVER = Option.repeatable("--server", "-s", "<server>",
            "a server: host:port (a myserver) or the URL of an HTTP(S)\n"
            + "folder (ends in /; the file's name is appended); repeatable");
    Option CHUNKS = Option.valued("--chunks", "-n", "<n>", "<chunks> where the servers are on the command line\n"
            + "(default: one per server, at least " + DEFAULT_CHUNKS + ")");
    Option CA_CERT = Option.valued("--ca-cert", "<file>", "also trust the certificates in this PEM file\n"
            + "for HTTPS mirrors (the system's stay trusted)");
    Option OUTPUT = Option.valued("--output", "-o", "<path>",
            "save as this file, or in this folder (name/); - for standard output")
            .described("""
                    By default the file's base name in the current folder. A name ending in / must be an \
                    existing folder (exit 6 if it is not). With several names, --output should name a folder: \
                    a file name is taken by the first download. See Standard output for -o -.""")
            .completing(Completion.FILES);
    Option FORCE = Option.flag("--force", "replace an existing file (at the very end, atomically)")
            .described("""
                    Without it an existing file is refused (exit 6). A link or a FIFO is never replaced, with or \
                    without it; a character device (-o /dev/null) is written through and stays what it is.""");
    Option NO_FSYNC = Option.flag("--no-fsync", "do not flush the file to disk before renaming it")
            .described("Nor the pieces before they are recorded as done: a power loss may then lose what the record says is there.");
    Option NO_RESUME = Option.flag("--no-resume", "start over, ignoring what an earlier run left in\n"
            + "<name>.part (by default a download continues it)");
    Option CONNECT_TIMEOUT = Option.valued("--connect-timeout", "<s>", "seconds to wait for a connection (default "
            + HumanFormat.seconds(DownloadOptions.DEFAULT_CONNECT_TIMEOUT) + ")")
            .described("Decimals allowed.");
    Option TIMEOUT = Option.valued("--timeout", "<s>", "seconds a server may send nothing (default "
            + HumanFormat.seconds(DownloadOptions.DEFAULT_STALL_TIMEOUT) + ")")
            .described("""
                    Then it is given up on. A silent connection is routed around long before, once another \
                    server can take its pieces: after half of this, at most 1 s.""");
    Option SHA256 = Option.valued("--sha256", "<hex>", "the whole file's SHA-256: checked before the rename")
            .described("""
                    As mirror sites publish it; checked in one pass over the .part file. On a mismatch nothing \
                    is saved (exit 9). It also settles a tie between disagreeing servers: each group is tried \
                    in turn.""");
    Option ROOT = Option.valued("--root", "<hex>", "the file's BEP 52 root (myserver --print-root): use\n"
            + "only servers with it, or check the whole file against it")
            .described("""
                    The root of the file's digest tree, BitTorrent v2's (BEP 52) pieces root: the 32 bytes a v2 \
                    torrent names the file by, what myserver --print-root and --verbose print. Every piece is \
                    checked against the digests of the servers with it; where no server gives the tree (an \
                    original or round-2 server, an HTTP mirror), the whole file is checked against it before the \
                    rename, as with --sha256 (exit 9 if it does not match).""");
    Option NO_VERIFY = Option.flag("--no-verify", "do not check pieces against the servers' digests")
            .described("No digests are asked for (for benchmarks); servers are still compared by size.");
    Option JSON = Option.flag("--json", "one JSON object per file on standard output")
            .described("See JSON output for its fields.");
    Option QUIET = Option.quiet("print nothing but errors");
    Option VERBOSE = Option.verbose("show every connection attempt, and the whole failure report")
            .described("Also a line per server in the summary, the file's root, and stack traces of internal errors.");

    /** Every option, in the order of the help. */
    List<Option> OPTIONS = List.of(SERVER, CHUNKS, OUTPUT, FORCE, NO_FSYNC, NO_RESUME, CONNECT_TIMEOUT, TIMEOUT,
            SHA256, ROOT, NO_VERIFY, CA_CERT, JSON, QUIET, VERBOSE,
            Option.HELP, Option.VERSION);

    /** The text of {@code --help}, from the manual; made only when asked for, as it is needed only then. */
    static String help() {
        return Usage.help(ClientManual.manual());
    }

    /** Show the help. */
    record Help() implements CommandLine {}

    /** Show the version. */
    record Version() implements CommandLine {}

    /**
     * Download: everything the options and arguments say.
     *
     * @param serversFile the servers file, or null where the servers are on the command line
     * @param givenServers the servers on the command line ({@code -s}, {@code <url>}s); empty with a servers file
     * @param fileNames the names after {@code <chunks>}; empty to read them from standard input
     * @param caCert the PEM file of {@code --ca-cert} as given, or null
     * @param output as given; ends in {@code /} when the user named a folder, {@code -} for standard output
     * @param options how to download, but for where to save: that is {@code output}'s, resolved
     *     against the working folder when the download starts
     */
    record Download(@Nullable Path serversFile, List<ServerAddress> givenServers, List<String> fileNames, @Nullable String output,
            @Nullable String caCert, Verbosity verbosity, boolean json,
            DownloadOptions options) implements CommandLine {
        public Download {
            givenServers = List.copyOf(givenServers);
            fileNames = List.copyOf(fileNames);
            if ((serversFile == null) == givenServers.isEmpty()) {
                throw new IllegalArgumentException("servers come from a file or from the command line");
            }
        }

        /** Whether the data goes to standard output ({@code -o -}). */
        boolean toStandardOutput() {
            return "-".equals(output);
        }
    }

    /**
     * Reads the arguments.
     *
     * @throws UsageException with one line saying what is wrong and what to do
     */
    static CommandLine parse(String... args) throws UsageException {
        Tokenizer.Arguments arguments = Tokenizer.tokenize(OPTIONS, List.of(args));
        if (arguments.stoppedAt(Option.HELP)) {
            return new Help();
        }
        if (arguments.stoppedAt(Option.VERSION)) {
            return new Version();
        }
        Verbosity verbosity = arguments.verbosity();
        String output = arguments.value(OUTPUT).orElse(null);
        if (output != null) {
            checkPath(OUTPUT.name(), output);
        }
        Duration connectTimeout = arguments.value(CONNECT_TIMEOUT).isPresent()
                ? Values.seconds(CONNECT_TIMEOUT.name(), arguments.value(CONNECT_TIMEOUT).get())
                : DownloadOptions.DEFAULT_CONNECT_TIMEOUT;
        Duration stallTimeout = arguments.value(TIMEOUT).isPresent()
                ? Values.seconds(TIMEOUT.name(), arguments.value(TIMEOUT).get())
                : DownloadOptions.DEFAULT_STALL_TIMEOUT;
        String sha256 = arguments.value(SHA256).isPresent() ? sha256(SHA256.name(), arguments.value(SHA256).get()) : null;
        String root = arguments.value(ROOT).isPresent() ? sha256(ROOT.name(), arguments.value(ROOT).get()) : null;
        if (arguments.has(JSON) && "-".equals(output)) {
            throw new UsageException("--json and -o - both write to standard output; use one of them");
        }
        List<String> positional = arguments.positional();
        String caCert = arguments.value(CA_CERT).orElse(null);
        if (caCert != null) {
            checkPath(CA_CERT.name(), caCert);
        }
        DownloadOptions.Builder options = DownloadOptions.builder(DEFAULT_CHUNKS)
                .force(arguments.has(FORCE))
                .fsync(!arguments.has(NO_FSYNC))
                .connectTimeout(connectTimeout)
                .stallTimeout(stallTimeout)
                .verify(!arguments.has(NO_VERIFY))
                .sha256(sha256)
                .root(root)
                .resume(!arguments.has(NO_RESUME));
        boolean json = arguments.has(JSON);
        if (arguments.has(SERVER) || positional.stream().anyMatch(CommandLine::looksLikeUrl)) {
            return onTheCommandLine(arguments, positional, output, caCert, verbosity, json, options);
        }
        if (arguments.has(CHUNKS)) {
            throw new UsageException(positional.isEmpty() ? "-n/--chunks goes with servers on the command line (-s or"
                    + " URLs); with a servers file, <chunks> follows it"
                    : "-n/--chunks goes with servers on the command line; with a servers file, give <chunks> after it");
        }
        if (positional.size() < 2) {
            throw new UsageException(positional.isEmpty()
                    ? "missing <servers-file> and <chunks> (or -s <server>, or the file's URL)"
                    : "missing <chunks> after the servers file");
        }
        Path serversFile;
        try {
            serversFile = Path.of(positional.get(0));
        } catch (InvalidPathException e) {
            throw new UsageException("'" + Shown.name(positional.get(0)) + "' cannot be a servers file path");
        }
        return new Download(serversFile, List.of(), positional.subList(2, positional.size()), output, caCert, verbosity, json,
                options.chunks(chunks(positional.get(1))).build());
    }

    /** The forms with servers on the command line: {@code -s <server>...} and file names, or {@code <url>...}. */
    private static Download onTheCommandLine(Tokenizer.Arguments arguments, List<String> positional, @Nullable String output,
            @Nullable String caCert, Verbosity verbosity, boolean json, DownloadOptions.Builder options) throws UsageException {
        List<ServerAddress> servers = new ArrayList<>();
        for (String server : arguments.every(SERVER)) {
            ServerAddress address = ServerText.parse(server, false);
            if (servers.contains(address)) {
                throw new UsageException("-s " + Shown.name(server) + " given twice; give each server once");
            }
            servers.add(address);
        }
        List<String> names;
        if (positional.stream().anyMatch(CommandLine::looksLikeUrl)) {
            for (String argument : positional) {
                if (!looksLikeUrl(argument)) {
                    throw new UsageException(argument.matches("\\+?[0-9]+")
                            ? "with URLs, give the chunks as -n " + Shown.name(argument) + "; every other argument is a URL of the file"
                            : "'" + Shown.name(argument) + "' among URLs: the URLs are mirrors of one file, named after"
                                    + " the first; give other files' names with -s <server> instead");
                }
                ServerAddress.Url url = (ServerAddress.Url) ServerText.parse(argument, true);
                if (!servers.contains(url)) {
                    servers.add(url);
                }
            }
            ServerAddress.Url first = (ServerAddress.Url) ServerText.parse(positional.getFirst(), true);
            names = List.of(first.fileName());
        } else {
            if (positional.size() > 1 && positional.getFirst().matches("\\+?[0-9]+")) {
                throw new UsageException("with -s, give the chunks as -n " + Shown.name(positional.getFirst())
                        + "; '" + Shown.name(positional.getFirst()) + "' would be taken as a file name");
            }
            names = positional;
        }
        if (servers.size() > ServersFile.MAX_SERVERS) {
            throw new UsageException("at most " + ServersFile.MAX_SERVERS + " servers, not " + servers.size());
        }
        int chunks = arguments.value(CHUNKS).isPresent() ? chunks(arguments.value(CHUNKS).get())
                : Math.max(DEFAULT_CHUNKS, servers.size());
        return new Download(null, servers, names, output, caCert, verbosity, json, options.chunks(chunks).build());
    }

    /** Whether an argument is a URL rather than a name or a number: it starts with http:// or https://. */
    static boolean looksLikeUrl(String argument) {
        String lower = argument.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /**
     * What to write instead when a servers file could not be read and its name looks like a
     * server ({@code myclient host:4000 4 x}): the same download with {@code -s}; null if it does not.
     */
    static @Nullable String asServerOption(Download command) {
        if (command.serversFile() == null) {
            return null;
        }
        String text = command.serversFile().toString();
        try {
            ServerText.parse(text, false);
        } catch (UsageException e) {
            return null;
        }
        return "myclient -s " + text + " -n " + command.options().chunks()
                + command.fileNames().stream().map(name -> " " + name).collect(java.util.stream.Collectors.joining());
    }

    private static void checkPath(String option, String value) throws UsageException {
        if (value.isEmpty()) {
            throw new UsageException(option + " needs a path, not an empty string");
        }
        try {
            Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(option + " needs a path, not '" + Shown.name(value) + "'");
        }
    }

    /** A SHA-256 as 64 hex digits, in lowercase. */
    private static String sha256(String option, String text) throws UsageException {
        if (!text.matches("[0-9a-fA-F]{64}")) {
            throw new UsageException(option + " needs a SHA-256 of 64 hex digits, not '" + Shown.name(text) + "'");
        }
        return text.toLowerCase(java.util.Locale.ROOT);
    }

    private static int chunks(String text) throws UsageException {
        String problem = "<chunks> must be a positive integer, not '" + Shown.name(text) + "'";
        if (!text.matches("\\+?[0-9]+")) {
            throw new UsageException(problem);
        }
        long chunks;
        try {
            chunks = Long.parseLong(text);
        } catch (NumberFormatException e) {
            chunks = Long.MAX_VALUE;
        }
        if (chunks < 1) {
            throw new UsageException(problem);
        }
        if (chunks > MAX_CHUNKS) {
            throw new UsageException("<chunks> is at most " + MAX_CHUNKS + " (each chunk is a thread and a request of its own), not "
                    + Shown.name(text));
        }
        return (int) chunks;
    }
}
