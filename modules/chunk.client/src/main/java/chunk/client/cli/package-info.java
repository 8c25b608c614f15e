/**
 * The command line of {@code myclient}: {@code Main} reads the arguments ({@code CommandLine},
 * from one option table that also makes the help, the man page and the shell completions through
 * {@code ClientManual}) and the servers file ({@code ServersFile}),
 * runs the downloads through the API ({@link chunk.client.Downloader}), and says how each
 * ended: the summary on standard error ({@code Summary}), {@code --json} on standard output
 * ({@code JsonReport}), the exit code ({@code ExitCode}, the one table of them). While a
 * download runs it draws the progress line ({@code Progress}, which reads the download's
 * {@link chunk.client.DownloadProgress} and counts nothing itself) or the verbose log, and
 * turns Ctrl-C and SIGTERM into a saved record and an exit ({@code Interruption},
 * {@code ProcessExit}).
 *
 * <p>May use every package of the module. Owns every word a user reads on the command line,
 * made from results and failure kinds; nothing below it prints. Nothing is null unless
 * marked {@code @Nullable}.
 */
@NullMarked
package chunk.client.cli;

import org.jspecify.annotations.NullMarked;
