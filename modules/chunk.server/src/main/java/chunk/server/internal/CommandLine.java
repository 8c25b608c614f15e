package chunk.server.internal;

import chunk.server.ServerConfig;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Parses {@code myserver}'s arguments into what to do; never exits or prints itself. */
final class CommandLine {

    static final String USAGE = """
            usage: myserver <port> [options]
              Serves the regular files under a folder with the chunk protocol.
              <port>                  TCP port to listen on, 0 to 65535 (0 picks a free one)
              --root <dir>            folder to serve (default: the current directory)
              --bind <address>        local address to listen on (default: all interfaces)
              --backlog <n>           connections queued before they are accepted (default: the system's
                                      largest, /proc/sys/net/core/somaxconn, at least 1024)
              --max-clients <n>       transfers served at once (default: 256; 1 = one at a time); a request
                                      waits for a place up to the header timeout, then gets "server busy"
              --max-connections <n>   connections open at once, served or waiting for their request
                                      (default: 10000, lowered to fit the open file limit)
              --max-waiting-per-address <n>
                                      connections from one address waiting for their request (default: 256)
              --header-timeout <s>    seconds a client may take to send its whole request (default: 5)
              --idle-timeout <s>      seconds a transfer may stall before it is disconnected (default: 30)
              --rate-limit <bytes/s>  per connection; suffixes k, M, G (powers of 1024); 0 = none (default)
              --total-rate-limit <bytes/s>
                                      the whole server, shared by all transfers; same suffixes; 0 = none (default)
              --quiet                 no access log lines
              --verbose               debug messages and stack traces on stderr
              --help                  this text
              --version               the version
            exit codes: 0 stopped by SIGINT/SIGTERM, 2 usage error, 3 cannot listen, 1 other fatal error
            """;

    /** What the arguments ask for. */
    sealed interface Command {}

    record Serve(ServerConfig config, boolean quiet, boolean verbose) implements Command {}

    record ShowHelp() implements Command {}

    record ShowVersion() implements Command {}

    /** A bad argument: {@code message} says what was wrong, for one line on stderr. */
    record Invalid(String message) implements Command {}

    private CommandLine() {}

    static Command parse(List<String> args, Path currentDirectory) {
        try {
            return parseOrThrow(args, currentDirectory);
        } catch (BadArgument e) {
            return new Invalid(e.getMessage());
        }
    }

    private static final class BadArgument extends Exception {
        private static final long serialVersionUID = 1L;

        BadArgument(String message) {
            super(message, null, false, false);
        }
    }

    private static Command parseOrThrow(List<String> args, Path currentDirectory) throws BadArgument {
        String port = null;
        String root = null;
        String bind = null;
        String backlog = null;
        String maxClients = null;
        String idleTimeout = null;
        String rateLimit = null;
        String maxConnections = null;
        String maxWaitingPerAddress = null;
        String headerTimeout = null;
        String totalRateLimit = null;
        boolean quiet = false;
        boolean verbose = false;
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-") || isNegativeNumber(arg)) {
                if (port != null) {
                    throw new BadArgument("unexpected argument '" + arg + "' (the port is already " + port + ")");
                }
                port = arg;
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
                case "--" -> optionsEnded = true;
                case "-h", "--help" -> { return new ShowHelp(); }
                case "-V", "--version" -> { return new ShowVersion(); }
                case "-q", "--quiet" -> quiet = true;
                case "-v", "--verbose" -> verbose = true;
                case "--root", "--bind", "--backlog", "--max-clients", "--idle-timeout", "--rate-limit",
                     "--max-connections", "--max-waiting-per-address", "--header-timeout", "--total-rate-limit" -> {
                    String value;
                    if (inlineValue != null) {
                        value = inlineValue;
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        throw new BadArgument(name + " needs a value");
                    }
                    switch (name) {
                        case "--root" -> root = value;
                        case "--bind" -> bind = value;
                        case "--backlog" -> backlog = value;
                        case "--max-clients" -> maxClients = value;
                        case "--idle-timeout" -> idleTimeout = value;
                        case "--max-connections" -> maxConnections = value;
                        case "--max-waiting-per-address" -> maxWaitingPerAddress = value;
                        case "--header-timeout" -> headerTimeout = value;
                        case "--total-rate-limit" -> totalRateLimit = value;
                        default -> rateLimit = value;
                    }
                }
                default -> throw new BadArgument("unknown option '" + arg + "'");
            }
        }
        if (port == null) {
            throw new BadArgument("no port given");
        }
        ServerConfig config = ServerConfig.defaults(parseRoot(root, currentDirectory))
                .withPort(parsePort(port));
        if (bind != null) {
            config = config.withBindAddress(parseAddress(bind));
        }
        if (backlog != null) {
            config = config.withBacklog(parseCount("--backlog", backlog));
        }
        if (maxClients != null) {
            config = config.withMaxClients(parseCount("--max-clients", maxClients));
        }
        if (maxConnections != null) {
            config = config.withMaxConnections(parseCount("--max-connections", maxConnections));
        }
        if (maxWaitingPerAddress != null) {
            config = config.withMaxWaitingPerAddress(parseCount("--max-waiting-per-address", maxWaitingPerAddress));
        }
        if (headerTimeout != null) {
            config = config.withHeaderTimeout(parseSeconds("--header-timeout", headerTimeout));
        }
        if (idleTimeout != null) {
            config = config.withIdleTimeout(parseSeconds("--idle-timeout", idleTimeout));
        }
        if (rateLimit != null) {
            config = config.withRateLimit(parseRate("--rate-limit", rateLimit));
        }
        if (totalRateLimit != null) {
            config = config.withTotalRateLimit(parseRate("--total-rate-limit", totalRateLimit));
        }
        return new Serve(config, quiet, verbose);
    }

    private static boolean isNegativeNumber(String arg) {
        return arg.length() > 1 && arg.charAt(0) == '-' && Character.isDigit(arg.charAt(1));
    }

    static int parsePort(String text) throws BadArgument {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadArgument("bad port '" + text + "': give a number from 0 to 65535");
        }
        if (port < 0 || port > 65_535) {
            throw new BadArgument("bad port " + text + ": give a number from 0 to 65535");
        }
        return port;
    }

    private static Path parseRoot(String text, Path currentDirectory) throws BadArgument {
        if (text == null) {
            return currentDirectory;
        }
        Path root;
        try {
            root = currentDirectory.resolve(text);
        } catch (InvalidPathException e) {
            throw new BadArgument("bad folder '" + text + "': " + e.getReason());
        }
        if (!Files.exists(root)) {
            throw new BadArgument("no such folder: " + text);
        }
        if (!Files.isDirectory(root)) {
            throw new BadArgument("not a folder: " + text);
        }
        if (!Files.isReadable(root) || !Files.isExecutable(root)) {
            throw new BadArgument("cannot read the folder " + text);
        }
        return root;
    }

    private static InetAddress parseAddress(String text) throws BadArgument {
        String host = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (host.isEmpty()) {
            throw new BadArgument("--bind needs an address");
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new BadArgument("unknown address for --bind: " + text);
        }
    }

    private static int parseCount(String option, String text) throws BadArgument {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadArgument("bad " + option + " '" + text + "': give a whole number of at least 1");
    }

    static Duration parseSeconds(String option, String text) throws BadArgument {
        try {
            BigDecimal seconds = new BigDecimal(text);
            if (seconds.signum() > 0 && seconds.compareTo(BigDecimal.valueOf(1_000_000_000L)) <= 0) {
                Duration duration = Duration.ofNanos(seconds.movePointRight(9).longValue());
                if (!duration.isZero()) {
                    return duration;
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadArgument("bad " + option + " '" + text + "': give a positive number of seconds");
    }

    static long parseRate(String option, String text) throws BadArgument {
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
        throw new BadArgument("bad " + option + " '" + text + "': give bytes per second, like 500k or 10M (0 = no limit)");
    }
}
