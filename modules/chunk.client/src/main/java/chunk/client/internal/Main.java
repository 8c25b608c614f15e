package chunk.client.internal;

import chunk.client.DownloadListener;
import chunk.client.DownloadOptions;
import chunk.client.DownloadResult;
import chunk.client.Downloader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code myclient [options] <servers-file> <chunks> [file-name...]}: checks the arguments and
 * the servers file, then downloads each named file (or each name read from standard input)
 * in turn. See {@link CommandLine#HELP} for the options and {@link ExitCode} for the exit codes.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        ProcessExit.prepare();
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
        boolean verbose = List.of(args).contains("--verbose");
        try {
            return new Main.Run(in, out, err, workingDirectory, terminal).execute(args);
        } catch (RuntimeException | Error e) {
            err.println("myclient: internal error: " + e + (verbose ? "" : " (--verbose shows where)"));
            if (verbose) {
                e.printStackTrace(err);
            }
            return ExitCode.INTERNAL;
        }
    }

    private record Run(InputStream in, PrintStream out, PrintStream err, Path workingDirectory, boolean terminal) {

        int execute(String[] args) {
            CommandLine command;
            try {
                command = CommandLine.parse(args);
            } catch (UsageException e) {
                err.println("myclient: " + e.getMessage());
                err.println(CommandLine.USAGE);
                return ExitCode.USAGE;
            }
            return switch (command) {
                case CommandLine.Help() -> {
                    out.print(CommandLine.HELP);
                    yield ExitCode.OK;
                }
                case CommandLine.Version() -> {
                    var descriptor = Main.class.getModule().getDescriptor();
                    out.println("myclient " + (descriptor == null ? "(development build)"
                            : descriptor.rawVersion().orElse("(development build)")));
                    yield ExitCode.OK;
                }
                case CommandLine.Download download -> download(download);
            };
        }

        private int download(CommandLine.Download command) {
            ServersFile.Contents servers;
            try {
                servers = ServersFile.read(workingDirectory.resolve(command.serversFile()), command.serversFile().toString());
            } catch (ServersFile.InvalidException e) {
                err.println("myclient: " + e.getMessage());
                return ExitCode.SERVERS_FILE;
            }
            servers.ignored().ifPresent(note -> err.println("myclient: " + note));

            var options = new DownloadOptions(command.chunks(), workingDirectory, command.output(), command.force(),
                    command.fsync(), command.connectTimeout(), command.stallTimeout(), command.verify(), command.sha256(),
                    command.root(), command.resume());
            boolean quiet = command.verbosity() == CommandLine.Verbosity.QUIET;
            boolean verbose = command.verbosity() == CommandLine.Verbosity.VERBOSE;
            // The progress line is drawn only for a person, and not over the verbose log's lines.
            Progress progress = terminal && command.verbosity() == CommandLine.Verbosity.NORMAL ? new Progress(err) : null;
            List<DownloadListener> listeners = new ArrayList<>();
            if (progress != null) {
                listeners.add(progress);
            }
            if (verbose) {
                listeners.add(new VerboseLog(err));
            }
            var resumeNotes = new ResumeNotes(quiet ? null : err);
            listeners.add(resumeNotes);
            Downloader downloader = Downloader.create(servers.servers(), options, new Listeners(listeners));
            int exitCode = ExitCode.OK;
            try {
                NameSource names = command.fileNames().isEmpty() ? new NameSource.Lines(in, terminal ? err : null)
                        : new NameSource.Given(command.fileNames());
                int asked = 0;
                for (String name = names.next(); name != null; name = names.next()) {
                    asked++;
                    int code = downloadOne(downloader, name, command, quiet, progress, resumeNotes);
                    if (exitCode == ExitCode.OK) {
                        exitCode = code;
                    }
                    if (Interruption.exitCode(0) != 0) {
                        // The signal came as this download was ending: its result is said; no next name.
                        return Interruption.exitCode(0);
                    }
                }
                if (asked == 0) {
                    err.println("myclient: no file name given; name the file after <chunks>, or on standard input");
                    return ExitCode.USAGE;
                }
            } catch (IOException e) {
                err.println("myclient: cannot read file names from standard input: " + ServerConnection.explainFailure(e));
                return exitCode == ExitCode.OK ? ExitCode.LOCAL_IO : exitCode;
            } catch (InterruptedDownload e) {
                err.println("myclient: " + e.getMessage());
                return Interruption.exitCode(ExitCode.INTERRUPTED);
            } catch (InterruptedException e) {
                err.println("myclient: interrupted");
                return Interruption.exitCode(ExitCode.INTERRUPTED);
            } finally {
                if (progress != null) {
                    progress.close();
                }
            }
            return exitCode;
        }

        private int downloadOne(Downloader downloader, String name, CommandLine.Download command, boolean quiet,
                Progress progress, ResumeNotes resumeNotes) throws InterruptedException {
            DownloadResult result;
            Interruption.downloading(true);
            try {
                result = downloader.download(name);
            } catch (IllegalArgumentException e) {
                err.println("myclient: cannot ask for '" + name + "': " + e.getMessage());
                return ExitCode.USAGE;
            } finally {
                Interruption.downloading(false);
                if (progress != null) {
                    progress.clear();
                }
            }
            err.print(Summary.describe(result, quiet, command.verbosity() == CommandLine.Verbosity.VERBOSE, this::shown,
                    resumeNotes.resumed(name)));
            err.flush();
            if (command.json()) {
                out.println(JsonReport.of(result, this::shown));
                out.flush();
            }
            return Summary.exitCode(result);
        }

        /** A path as the user should read it: relative to the working folder when it is inside it. */
        private String shown(Path path) {
            Path base = workingDirectory.toAbsolutePath().normalize();
            Path absolute = path.toAbsolutePath().normalize();
            return absolute.startsWith(base) && !absolute.equals(base) ? base.relativize(absolute).toString() : path.toString();
        }
    }

    /** Where the names of the files to download come from. */
    private sealed interface NameSource {

        /** The next name, or null when there is none left. */
        @org.jspecify.annotations.Nullable String next() throws IOException;

        /** Names from the command line. */
        final class Given implements NameSource {
            private final List<String> names;
            private int next;

            Given(List<String> names) {
                this.names = names;
            }

            @Override
            public @org.jspecify.annotations.Nullable String next() {
                return next < names.size() ? names.get(next++) : null;
            }
        }

        /** Names from standard input, one a line; blank lines are skipped; a prompt when a person types them. */
        final class Lines implements NameSource {
            private final BufferedReader reader;
            private final @org.jspecify.annotations.Nullable PrintStream prompt;

            Lines(InputStream in, @org.jspecify.annotations.Nullable PrintStream prompt) {
                this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                this.prompt = prompt;
            }

            @Override
            public @org.jspecify.annotations.Nullable String next() throws IOException {
                while (true) {
                    if (prompt != null) {
                        prompt.print("File name: ");
                        prompt.flush();
                    }
                    String line = reader.readLine();
                    if (line == null) {
                        if (prompt != null) {
                            prompt.println();
                        }
                        return null;
                    }
                    String name = line.strip();
                    if (!name.isEmpty()) {
                        return name;
                    }
                }
            }
        }
    }
}
