package chunk.client.cli;

import chunk.client.DownloadListener;
import chunk.client.DownloadOptions;
import chunk.client.DownloadResult;
import chunk.client.Downloader;
import chunk.client.download.DownloadInterruptedException;
import chunk.client.text.HumanFormat;
import chunk.client.text.IoFailures;
import chunk.client.text.Shown;
import chunk.wire.cli.OneLineLogging;
import chunk.wire.cli.Usage;
import chunk.wire.cli.UsageException;
import chunk.wire.cli.Verbosity;
import chunk.wire.cli.Versions;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code myclient [options] <servers-file> <chunks> [file-name...]}: checks the arguments and
 * the servers file, then downloads each named file (or each name read from standard input)
 * in turn. See {@link CommandLine#help()} for the options and {@link ExitCode} for the exit codes.
 */
public final class Main {

    /** What to say when the JVM was started without {@code --enable-preview}. */
    static final String WITHOUT_PREVIEW = "myclient: Java must be started with --enable-preview for myclient"
            + " (it uses StructuredTaskScope, a preview API of Java 25):"
            + " java --enable-preview -p <modules> -m chunk.client ..., or the image's bin/myclient";

    private Main() {}

    /**
     * Whether this JVM runs preview class files. Only the classes that use a preview API are
     * marked as such, so without the flag the first download would fail deep inside with an
     * {@link UnsupportedClassVersionError}; loading the one such class here says so at once.
     */
    static boolean previewEnabled() {
        try {
            Class.forName("chunk.client.fetch.ChunkScope", false, Main.class.getClassLoader());
            return true;
        } catch (UnsupportedClassVersionError e) {
            return false;
        } catch (ClassNotFoundException e) {
            return true; // not this failure: let the download report whatever it is
        }
    }

    public static void main(String[] args) {
        if (!previewEnabled()) {
            System.err.println(WITHOUT_PREVIEW);
            System.exit(ExitCode.USAGE.code());
        }
        ProcessExit.prepare();
        // Whatever the JDK might log goes out in myclient's own one-line form (chunk.wire.cli.OneLineLogging).
        OneLineLogging.configure("myclient", System.err, List.of(args).contains("--verbose") || List.of(args).contains("-v"));
        Interruption.install(System.err);
        var console = System.console();
        boolean terminal = console != null && console.isTerminal();
        int code = run(args, System.in, System.out, System.err, Path.of(""), terminal);
        ProcessExit.exit(code);
    }

    /** {@link #run(String[], InputStream, PrintStream, PrintStream, Path, boolean)} with no terminal. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Path workingDirectory) {
        return run(args, in, out, err, workingDirectory, false);
    }

    /**
     * Runs the client as the command line would, without exiting.
     *
     * @param workingDirectory what relative paths are resolved against (the current folder)
     * @param terminal whether a person is at a terminal: prompt for names, draw progress
     * @return the exit code
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Path workingDirectory,
            boolean terminal) {
        boolean verbose = List.of(args).contains("--verbose") || List.of(args).contains("-v");
        try {
            return new Main.Run(in, out, err, workingDirectory, terminal).execute(args);
        } catch (UnsupportedClassVersionError e) {
            err.println(WITHOUT_PREVIEW);
            return ExitCode.USAGE.code();
        } catch (RuntimeException | Error e) {
            err.println("myclient: internal error: " + e + (verbose ? "" : " (--verbose shows where)"));
            if (verbose) {
                e.printStackTrace(err);
            }
            return ExitCode.INTERNAL.code();
        }
    }

    private record Run(InputStream in, PrintStream out, PrintStream err, Path workingDirectory, boolean terminal) {

        int execute(String[] args) {
            CommandLine command;
            try {
                command = CommandLine.parse(args);
            } catch (UsageException e) {
                err.println(Usage.errorLine("myclient", e.getMessage()));
                return ExitCode.USAGE.code();
            }
            return switch (command) {
                case CommandLine.Help() -> {
                    out.print(CommandLine.help());
                    yield ExitCode.OK.code();
                }
                case CommandLine.Version() -> {
                    out.println("myclient " + Versions.of(Main.class));
                    yield ExitCode.OK.code();
                }
                case CommandLine.Download download -> download(download).code();
            };
        }


        private ExitCode download(CommandLine.Download command) {
            ServersFile.Contents servers;
            if (command.serversFile() == null) {
                servers = new ServersFile.Contents(command.givenServers(), List.of());
            } else {
                try {
                    servers = ServersFile.read(workingDirectory.resolve(command.serversFile()), command.serversFile().toString());
                } catch (ServersFile.InvalidException e) {
                    String instead = CommandLine.asServerOption(command);
                    err.println("myclient: " + e.getMessage() + (instead == null ? ""
                            : "; to give a server on the command line, write: " + instead));
                    return ExitCode.SERVERS_FILE;
                }
            }
            servers.notes().forEach(note -> err.println("myclient: " + note));
            List<X509Certificate> trusted = List.of();
            if (command.caCert() != null) {
                try {
                    trusted = CaCertificates.read(workingDirectory.resolve(command.caCert()));
                } catch (CaCertificates.UnusableException e) {
                    err.println(Usage.errorLine("myclient", "--ca-cert " + Shown.name(command.caCert()) + ": "
                            + e.getMessage()));
                    return ExitCode.USAGE;
                }
            }
            Path output = command.output() == null || command.toStandardOutput() ? null : Path.of(command.output());
            if (command.output() != null && command.output().endsWith("/") && !Files.isDirectory(workingDirectory.resolve(output))) {
                err.println("myclient: no such folder: " + Shown.name(command.output())
                        + "; create it first (a name ending in / is a folder)");
                return ExitCode.LOCAL_IO;
            }
            var options = command.options().toBuilder().directory(workingDirectory).output(output)
                    .stream(command.toStandardOutput() ? standardOutput() : null).trustedCertificates(trusted).build();
            // The progress line is drawn only for a person, and not over the verbose log's lines.
            Progress progress = terminal && command.verbosity() == Verbosity.NORMAL ? new Progress(err) : null;
            Thread endProgressLine = progress == null ? null : new Thread(progress::endLine, "myclient-end-progress-line");
            if (endProgressLine != null) {
                // Ctrl-C: the JVM runs its hooks, and the progress line must end before anything else is printed.
                Runtime.getRuntime().addShutdownHook(endProgressLine);
            }
            Downloader downloader = Downloader.create(servers.servers(), options, listeners(command, progress));
            try {
                return downloadEach(downloader, command, progress);
            } finally {
                if (progress != null) {
                    progress.close();
                    removeHook(endProgressLine);
                }
                out.flush();
            }
        }

        /**
         * Standard output as a channel for {@code -o -}: the process's own file descriptor, so that
         * the file's bytes go from the page cache to the pipe without passing through Java's
         * buffers; the given stream's, when run from a program or a test.
         */
        private WritableByteChannel standardOutput() {
            return out == System.out ? new FileOutputStream(FileDescriptor.out).getChannel() : Channels.newChannel(out);
        }

        /** What hears the downloads: the progress line, the verbose log, and the notes on records not resumed. */
        private DownloadListener listeners(CommandLine.Download command, @Nullable Progress progress) {
            List<DownloadListener> listeners = new ArrayList<>();
            if (progress != null) {
                listeners.add(progress);
            }
            if (command.verbosity() == Verbosity.VERBOSE) {
                listeners.add(new VerboseLog(err));
            }
            listeners.add(new ResumeNotes(command.verbosity() == Verbosity.QUIET ? null : err));
            return new Listeners(listeners);
        }

        /** Each named file in turn; the exit code of the first that did not complete. */
        private ExitCode downloadEach(Downloader downloader, CommandLine.Download command, @Nullable Progress progress) {
            ExitCode exitCode = ExitCode.OK;
            try {
                NameSource names = command.fileNames().isEmpty() ? new NameSource.Lines(in, terminal ? err : null)
                        : new NameSource.Given(command.fileNames());
                int asked = 0;
                for (String name = names.next(); name != null; name = names.next()) {
                    asked++;
                    ExitCode code = downloadOne(downloader, name, command, progress);
                    if (exitCode == ExitCode.OK) {
                        exitCode = code;
                    }
                    ExitCode signalled = Interruption.signalled();
                    if (signalled != null) {
                        // The signal came as this download was ending: its result is said; no next name.
                        return signalled;
                    }
                }
                if (asked == 0) {
                    err.println("myclient: no file name given; name the file after <chunks>, or on standard input; see myclient --help");
                    return ExitCode.USAGE;
                }
            } catch (IOException e) {
                err.println("myclient: cannot read file names from standard input: " + IoFailures.explain(e));
                return exitCode == ExitCode.OK ? ExitCode.LOCAL_IO : exitCode;
            } catch (DownloadInterruptedException e) {
                err.println("myclient: interrupted; " + HumanFormat.bytes(e.keptBytes()) + " of " + HumanFormat.bytes(e.size())
                        + " kept in " + Shown.path(workingDirectory, e.partFile()) + "; the same command continues it");
                return Interruption.signalledOr(ExitCode.INTERRUPTED);
            } catch (InterruptedException e) {
                err.println("myclient: interrupted");
                return Interruption.signalledOr(ExitCode.INTERRUPTED);
            }
            return exitCode;
        }

        private ExitCode downloadOne(Downloader downloader, String name, CommandLine.Download command,
                @Nullable Progress progress) throws InterruptedException {
            DownloadResult result;
            Interruption.downloading(true);
            try {
                result = downloader.download(name);
            } catch (IllegalArgumentException e) {
                err.println("myclient: cannot ask for '" + Shown.name(name) + "': " + e.getMessage() + "; see myclient --help");
                return ExitCode.USAGE;
            } finally {
                Interruption.downloading(false);
                if (progress != null) {
                    progress.clear();
                }
            }
            // With -o - there is no file to name: every path a message would name is standard output.
            Function<Path, String> shown = command.toStandardOutput() ? _ -> "standard output"
                    : path -> Shown.path(workingDirectory, path);
            err.print(Summary.describe(result, command.verbosity() == Verbosity.QUIET,
                    command.verbosity() == Verbosity.VERBOSE, shown, !command.toStandardOutput()));
            err.flush();
            if (command.json()) {
                out.println(JsonReport.of(result, shown));
                out.flush();
            }
            return Summary.exitCode(result);
        }

        private static void removeHook(Thread hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook ends the line
            }
        }
    }
}
