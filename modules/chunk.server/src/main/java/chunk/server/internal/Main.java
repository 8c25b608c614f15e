package chunk.server.internal;

import chunk.server.FileServer;
import chunk.server.ServerConfig;
import chunk.server.internal.digests.CacheFolderException;
import chunk.wire.cli.Hosts;
import chunk.wire.cli.OneLineLogging;
import chunk.wire.cli.Usage;
import chunk.wire.cli.Versions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;

/** {@code myserver <port> [options]}: see {@link CommandLine#usage()} and {@link ExitCode}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        int status = run(List.of(args), System.out, System.err);
        if (status != ExitCode.OK.code()) {
            System.exit(status);
        }
    }

    /** Runs the server until it stops; returns the exit code for a fatal error, or 0 after a signal. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        CommandLine.Command command = CommandLine.parse(args, Path.of("").toAbsolutePath());
        return switch (command) {
            case CommandLine.ShowHelp _ -> {
                out.print(CommandLine.usage());
                out.flush();
                yield ExitCode.OK.code();
            }
            case CommandLine.ShowVersion _ -> {
                out.println("myserver " + version());
                out.flush();
                yield ExitCode.OK.code();
            }
            case CommandLine.Invalid invalid -> {
                err.println(Usage.errorLine("myserver", invalid.message()));
                yield ExitCode.USAGE.code();
            }
            case CommandLine.Serve serve -> serve(serve, out, err);
            case CommandLine.PrintRoot printRoot -> RootPrinter.print(printRoot, out, err);
        };
    }

    private static int serve(CommandLine.Serve serve, PrintStream out, PrintStream err) {
        OneLineLogging.configure("myserver", err, serve.verbose());
        ServerConfig config = serve.config();
        FileServer server;
        try {
            server = start(serve, config, out, err);
        } catch (CacheFolderException e) {
            err.println("myserver: " + e.getMessage() + "; give another folder with --digest-cache, or none");
            trace(serve, err, e);
            return ExitCode.USAGE.code();
        } catch (BindException e) {
            // Only a port in use hints at another server; an address not on this machine does not.
            boolean inUse = String.valueOf(e.getMessage()).contains("in use");
            err.println("myserver: cannot listen on " + where(config) + ": " + e.getMessage()
                    + (inUse ? "; choose another port (is another server running?)" : "; choose an address of this machine"));
            trace(serve, err, e);
            return ExitCode.CANNOT_LISTEN.code();
        } catch (NoSuchFileException | NotDirectoryException e) {
            err.println("myserver: cannot serve " + config.root() + ": no such folder; give an existing folder with --root");
            return ExitCode.USAGE.code();
        } catch (IOException | RuntimeException e) {
            err.println("myserver: cannot start: " + e.getMessage() + "; check the address, port and folder");
            trace(serve, err, e);
            return ExitCode.FATAL.code();
        }
        Thread stopOnSignal = Thread.ofPlatform().name("chunk-server-shutdown").unstarted(() -> {
            server.close();
            out.flush();
            // The JVM would report 143 (or 130) for the signal even after a clean stop: say 0, as promised.
            Runtime.getRuntime().halt(ExitCode.OK.code());
        });
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        // Only now: a script may signal the server as soon as it reads this line, and must get 0.
        out.println("myserver " + version() + " listening on " + hostAndPort(server.address())
                + ", serving " + server.root());
        out.flush();
        try {
            server.join();
            return ExitCode.OK.code();
        } catch (IOException e) {
            removeHook(stopOnSignal);
            err.println("myserver: stopped: " + e.getMessage() + "; check the folder and restart");
            trace(serve, err, e);
            return ExitCode.FATAL.code();
        } catch (InterruptedException e) {
            removeHook(stopOnSignal);
            server.close();
            return ExitCode.FATAL.code();
        }
    }

    /**
     * Starts the server; a default digest cache folder that cannot be used (an unwritable home,
     * a server of the home folder itself) is not the user's doing: a warning, and memory only.
     */
    private static FileServer start(CommandLine.Serve serve, ServerConfig config, PrintStream out, PrintStream err)
            throws IOException {
        try {
            return serve.quiet() ? FileServer.start(config) : FileServer.start(config, out::println);
        } catch (CacheFolderException e) {
            if (serve.digestCacheGiven()) {
                throw e;
            }
            err.println("myserver: " + e.getMessage() + "; digests are kept in memory only (choose a folder with --digest-cache)");
            ServerConfig inMemory = config.toBuilder().digestCache(null).build();
            return serve.quiet() ? FileServer.start(inMemory) : FileServer.start(inMemory, out::println);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook decides the exit code.
        }
    }

    private static void trace(CommandLine.Serve serve, PrintStream err, Exception e) {
        if (serve.verbose()) {
            e.printStackTrace(err);
        }
    }

    private static String where(ServerConfig config) {
        InetAddress bind = config.bindAddress();
        return (bind == null ? "0.0.0.0" : Hosts.host(bind)) + ":" + config.port();
    }

    /** {@code host:port}, IPv6 in brackets, {@code 0.0.0.0} for all interfaces. */
    static String hostAndPort(InetSocketAddress address) {
        return Hosts.hostAndPort(address);
    }

    static String version() {
        return Versions.of(Main.class);
    }
}
