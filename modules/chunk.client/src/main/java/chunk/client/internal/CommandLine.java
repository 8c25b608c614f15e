package chunk.client.internal;

import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What the command line asks for. Options may stand before, between or after the positional arguments. */
sealed interface CommandLine {

    String USAGE = "Usage: myclient [options] <servers-file> <chunks> [file-name...]";

    /**
     * The most chunks one download may have. Every chunk is a TCP connection of its own (the
     * protocol answers one request per connection), and every chunk's task, range and outcome
     * stay in memory until the download ends: for a 5 MiB file 10000 chunks take 115 MB and
     * 4.5 s; 100000 took 719 MB and 17 s, and millions exhausted the heap. 10000 also stays
     * well inside the ephemeral ports a client has for one server.
     */
    int MAX_CHUNKS = 10_000;

    String HELP = USAGE + """

            Downloads files from several chunk servers at once, in <chunks> parallel byte ranges.
            The names of the files come after <chunks>, or from standard input, one a line.

              <servers-file>           'host port' lines: host name, IPv4 or IPv6 address;
                                       '#' starts a comment; the first 20 servers are used
              <chunks>                 how many ranges to download in parallel (1 to 10000)
              -o, --output <path>      save as this file, or in this existing folder
                                       (default: the file's base name in the current folder)
                  --force              replace an existing file (at the very end, atomically)
                  --no-fsync           do not flush the file to disk before renaming it
                  --no-resume          start over, ignoring what an earlier run left in
                                       <name>.part (by default a download continues it)
                  --connect-timeout <s>  seconds to wait for a connection (default 5)
                  --timeout <s>        seconds a server may send nothing (default 30)
                  --sha256 <hex>       the whole file's SHA-256: checked before the rename
                  --root <hex>         the file's root (at 1 MiB pieces): use only servers with it
                  --no-verify          do not check pieces against the servers' digests
                  --json               one JSON object per file on standard output
                  --quiet              print nothing but errors
                  --verbose            show every connection attempt
              -h, --help               show this help
                  --version            show the version

            Exit codes: 0 all files complete, 1 internal error, 2 usage error,
            3 bad servers file, 4 no server could provide a file, 5 incomplete download,
            6 local I/O error (cannot write, or the file exists and --force is not given),
            8 the servers disagree on the file (pin it with --sha256 or --root),
            9 the file does not match --sha256 (nothing is saved),
            130 stopped by Ctrl-C, 143 stopped by SIGTERM (both keep what was downloaded;
            the same command continues it).
            """;

    /** Show the help. */
    record Help() implements CommandLine {}

    /** Show the version. */
    record Version() implements CommandLine {}

    /** How loud to be. */
    enum Verbosity { QUIET, NORMAL, VERBOSE }

    /** Download: everything the options and arguments say. */
    record Download(
            Path serversFile,
            int chunks,
            List<String> fileNames,
            @Nullable Path output,
            boolean force,
            boolean fsync,
            Duration connectTimeout,
            Duration stallTimeout,
            Verbosity verbosity,
            boolean verify,
            @Nullable String sha256,
            @Nullable String root,
            boolean json,
            boolean resume) implements CommandLine {
        public Download {
            fileNames = List.copyOf(fileNames);
        }
    }

    /**
     * Reads the arguments.
     *
     * @throws UsageException with one line saying what is wrong and what to do
     */
    static CommandLine parse(String... args) throws UsageException {
        List<String> positional = new ArrayList<>();
        Path output = null;
        boolean force = false;
        boolean fsync = true;
        boolean resume = true;
        Duration connectTimeout = Duration.ofSeconds(5);
        Duration stallTimeout = Duration.ofSeconds(30);
        boolean quiet = false;
        boolean verbose = false;
        boolean onlyPositional = false;
        boolean verify = true;
        String sha256 = null;
        String root = null;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            // "-1" is a (bad) chunk count, not an option: it gets the chunk count's message.
            if (onlyPositional || arg.equals("-") || !arg.startsWith("-") || arg.matches("-[0-9].*")) {
                positional.add(arg);
                continue;
            }
            String name = arg;
            String inlineValue = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                inlineValue = arg.substring(equals + 1);
            }
            switch (name) {
                case "--" -> onlyPositional = true;
                case "-h", "--help" -> {
                    return new Help();
                }
                case "--version" -> {
                    return new Version();
                }
                case "--force" -> force = true;
                case "--no-fsync" -> fsync = false;
                case "--no-resume" -> resume = false;
                case "--quiet" -> quiet = true;
                case "--verbose" -> verbose = true;
                case "--no-verify" -> verify = false;
                case "--json" -> json = true;
                case "--sha256" -> sha256 = sha256(name, inlineValue != null ? inlineValue : valueOf(args, ++i, name));
                case "--root" -> root = sha256(name, inlineValue != null ? inlineValue : valueOf(args, ++i, name));
                case "-o", "--output" -> {
                    String value = inlineValue != null ? inlineValue : valueOf(args, ++i, name);
                    try {
                        output = Path.of(value);
                    } catch (InvalidPathException e) {
                        throw new UsageException(name + " needs a path, not '" + value + "'");
                    }
                    if (value.isEmpty()) {
                        throw new UsageException(name + " needs a path, not an empty string");
                    }
                }
                case "--connect-timeout" -> connectTimeout =
                        seconds(name, inlineValue != null ? inlineValue : valueOf(args, ++i, name));
                case "--timeout" -> stallTimeout =
                        seconds(name, inlineValue != null ? inlineValue : valueOf(args, ++i, name));
                default -> throw new UsageException("unknown option '" + arg + "'; see myclient --help");
            }
            if (inlineValue != null && !List.of("-o", "--output", "--connect-timeout", "--timeout", "--sha256", "--root").contains(name)) {
                throw new UsageException(name + " takes no value");
            }
        }
        if (quiet && verbose) {
            throw new UsageException("--quiet and --verbose cannot be used together; choose one");
        }
        if (positional.size() < 2) {
            throw new UsageException(positional.isEmpty()
                    ? "missing <servers-file> and <chunks>"
                    : "missing <chunks> after the servers file");
        }
        Path serversFile;
        try {
            serversFile = Path.of(positional.get(0));
        } catch (InvalidPathException e) {
            throw new UsageException("'" + positional.get(0) + "' cannot be a servers file path");
        }
        int chunks = chunks(positional.get(1));
        Verbosity verbosity = quiet ? Verbosity.QUIET : verbose ? Verbosity.VERBOSE : Verbosity.NORMAL;
        return new Download(serversFile, chunks, positional.subList(2, positional.size()), output, force, fsync,
                connectTimeout, stallTimeout, verbosity, verify, sha256, root, json, resume);
    }

    private static String valueOf(String[] args, int index, String option) throws UsageException {
        if (index >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[index];
    }

    private static int chunks(String text) throws UsageException {
        String problem = "<chunks> must be a positive integer, not '" + text + "'";
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
            throw new UsageException("<chunks> is at most " + MAX_CHUNKS + " (each chunk is a connection), not " + text);
        }
        return (int) chunks;
    }

    private static String sha256(String option, String text) throws UsageException {
        if (!text.matches("[0-9a-fA-F]{64}")) {
            throw new UsageException(option + " needs a SHA-256 of 64 hex digits, not '" + text + "'");
        }
        return text.toLowerCase(java.util.Locale.ROOT);
    }

    private static Duration seconds(String option, String text) throws UsageException {
        String problem = option + " needs a positive number of seconds, not '" + text + "'";
        try {
            BigDecimal seconds = new BigDecimal(text);
            if (seconds.signum() <= 0 || seconds.compareTo(BigDecimal.valueOf(86_400L * 365)) > 0) {
                throw new UsageException(problem);
            }
            Duration duration = Duration.ofNanos(seconds.movePointRight(9).longValue());
            if (duration.toMillis() < 1) {
                throw new UsageException(problem);
            }
            return duration;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException(problem);
        }
    }
}
