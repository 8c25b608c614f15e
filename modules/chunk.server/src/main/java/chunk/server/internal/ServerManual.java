package chunk.server.internal;

import static chunk.wire.cli.Manual.Block.text;
import static chunk.wire.cli.Manual.Block.verbatim;

import chunk.server.ServerConfig;
import chunk.wire.cli.Completion;
import chunk.wire.cli.Manual;
import chunk.wire.cli.ManualFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * myserver's manual: the help ({@link CommandLine#usage()}), the man page myserver(1) and the
 * shell completions are made from it, with the options of {@link CommandLine#OPTIONS} and the
 * exit codes of {@link ExitCode}. The long reference lives here, not in the README.
 *
 * <p>The build runs {@link #main} to write the man page and completions for the Debian package.
 */
public final class ServerManual {

    private ServerManual() {}

    /** Writes myserver's man page and completions under a {@code share} folder: {@code main(share, date)}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ServerManual <share-folder> <date, as 2026-12-01>");
            System.exit(2);
        }
        ManualFiles.write(manual(), "chunk " + Main.version(), args[1], Path.of(args[0]));
    }

    static Manual manual() {
        Manual.Builder manual = Manual.builder("myserver")
                .summary("serve the files of a folder to chunk downloaders")
                .synopsis("<port> [options]")
                .about("Serves the regular files under a folder with the chunk protocol.")
                .topic("What it serves",
                        text("""
                                Only regular files under the root. Absolute names, any .. segment, hidden files \
                                and folders (names starting with .), folders, devices, and symbolic links that \
                                lead outside the root all get the answer "no such file", so a client cannot learn \
                                what exists outside; a symbolic link that stays inside the root is served. Each \
                                file has one name, its path under the root with single slashes: ./hello.txt, \
                                hello.txt/, sub//inner.bin and sub/./inner.bin are "no such file" too. A name whose \
                                path under the root would be longer than Linux opens (4095 bytes, or 255 for one \
                                segment) gets "name too long"."""),
                        text("""
                                It listens on every interface unless --bind says otherwise: anyone who can reach \
                                the port can read every file of the folder. Keep what is not for them (a servers \
                                file, for one) outside it."""),
                        text("""
                                A chunk request for a range that runs past the end of the file gets a header that \
                                states the bytes actually sent (0 at or past the end). Data is sent with sendfile, \
                                in slices of at most 256 KiB; after each slice the server checks that the file still \
                                has the size, modification time and inode it had when the reply began. If not, it \
                                stops and resets the connection, so the client sees a short chunk and asks again, \
                                and logs file-changed. A writer should write a new file and rename it into place, \
                                which a reply in flight never sees."""))
                .topic("Digests",
                        text("""
                                Besides SIZE and CHUNK it answers DIGESTS: the file's size, its root and the digests \
                                of its pieces at the piece length the client asks for, all of one version of the \
                                file, so that a client can check every byte it downloads. On a connection kept open \
                                at version 2 they come from the file's digest tree, BitTorrent v2's (BEP 52): the \
                                root is the file's pieces root, the same at every piece length and the same 32 bytes \
                                a v2 torrent names the file by (--print-root prints it), and each version of a file \
                                is hashed once whatever piece lengths clients ask for. Elsewhere (clients of chunk's \
                                round 2) they are flat SHA-256s, one pass per piece length, kept in memory (64 MiB)."""),
                        text("""
                                Once listening, myserver hashes its folder in the background, and each file that \
                                appears or changes later once it has been left alone for a second, on half the cores \
                                at most (a sixteenth of a core while it sends a reply); a file a client asks for goes \
                                first. The trees go to the cache folder (--digest-cache), so that a restarted server \
                                answers at once for a file that did not change: an entry is used only for the same \
                                path, device, inode, size and modification and change times, and only if its checksum \
                                and root hold; anything else is hashed again. A file rewritten since is never answered \
                                from the old digests."""))
                .topic("Limits under load",
                        text("""
                                A connection that has not sent its whole request holds no transfer place: it counts \
                                against --max-connections and its address's --max-waiting-per-address, and it is \
                                closed when the header timeout passes, however slowly it keeps sending. Above its \
                                address's limit, the connection of that address that has been silent longest makes \
                                room (see --max-waiting-per-address). Only a complete request takes one of the \
                                --max-clients places. A client may keep its \
                                connection open (the KEEP-OPEN extension) and send request after request; between \
                                them it holds no place and must send the next within the header timeout."""))
                .topic("Idle transfers",
                        text("""
                                The idle timeout runs from the last byte the client's system took: acknowledged by \
                                its TCP, which it does while its receive buffer has room and then as fast as the \
                                client reads. A client that reads slowly but steadily is never idle; one that reads \
                                nothing is closed once its receive buffer and the server's send buffer are full and \
                                the timeout has passed. The bytes an access-log line counts as sent are those handed \
                                to the kernel, up to a send buffer more than the client received."""))
                .topic("Output",
                        text("""
                                Standard output gets one start-up line, then one access-log line per request; errors \
                                go to standard error as one line, myserver: <what went wrong>; <what to do>:"""),
                        verbatim("""
                                myserver 1.0.0 listening on 127.0.0.1:44775, serving /srv/files
                                2026-11-25T10:00:00.123Z 127.0.0.1:51234 CHUNK hello.txt [7,14) ok 7 B 0.4 ms"""),
                        text("""
                                The fields: time (UTC), client, request (SIZE, CHUNK, DIGESTS, KEEP-OPEN, or - if \
                                none arrived), file (quoted with escapes if it has spaces or control characters), \
                                range [start,end) (pieces for DIGESTS), outcome, bytes of file data sent, duration. \
                                The outcomes:"""),
                        outcomes())
                .topic("Error replies",
                        text("""
                                What clients are told: no such file, cannot read file, bad range: <why>, bad request: \
                                <why>, bad digest request: <why>, name too long, unknown packet type N, server busy, \
                                file changed while its digests were computed. No reply ever holds a path of the \
                                server or a stack trace."""))
                .topic("Stopping",
                        text("""
                                SIGINT or SIGTERM: stops accepting, gives transfers in flight %d seconds to finish, \
                                closes connections still waiting for their request or a place, and exits 0."""
                                .formatted(ServerConfig.DEFAULT_GRACE_PERIOD.toSeconds())))
                .argument("<port>", "TCP port to listen on, 0 to 65535 (0 picks a free one)",
                        "The start-up line says which port it got.", Completion.NOTHING)
                .options(CommandLine.OPTIONS)
                .file("~/.cache/chunk/digests", """
                        The default digest cache folder ($XDG_CACHE_HOME/chunk/digests where that is set): one \
                        entry per served file, at most 1 GiB (--digest-cache, --digest-cache-size).""")
                .file("/etc/chunk/<name>.conf", """
                        The command line of the service myserver@<name> (Debian package): one line, \
                        MYSERVER_ARGS=<port> --root <folder> [options].""")
                .file("/lib/systemd/system/myserver@.service", """
                        The service (Debian package): one myserver per configuration file, as a user of its own \
                        (DynamicUser), with the whole file system read-only to it and /home hidden.""")
                .environment("JAVA_OPTS", "more options for the Java virtual machine, passed on by the launcher")
                .example("Serve the current folder on port 4000 of every interface (anyone who can reach the machine can read it):",
                        "myserver 4000")
                .example("Serve /srv/files to this machine only, on a free port (the start-up line says which):",
                        "myserver 0 --bind 127.0.0.1 --root /srv/files")
                .example("Print the root a client can pin a file by (its BitTorrent v2 pieces root):",
                        "myserver --print-root /srv/files/big.iso")
                .example("Serve /srv/files as a service on port 4000, started at boot:", """
                        echo 'MYSERVER_ARGS=4000 --root /srv/files' | sudo tee /etc/chunk/files.conf
                        sudo systemctl enable --now myserver@files""")
                .seeAlso("myclient(1)", "systemd.exec(5)", "/usr/share/doc/chunk/PROTOCOL.md (the protocol)");
        for (ExitCode code : ExitCode.values()) {
            manual.exitStatus(code.code(), code.meaning());
        }
        return manual.build();
    }

    /** The access log's outcome words, each with what it means: one block that lists them. */
    private static Manual.Block outcomes() {
        List<Manual.Term> outcomes = new ArrayList<>();
        for (AccessLog.Outcome outcome : AccessLog.Outcome.values()) {
            outcomes.add(new Manual.Term(outcome.word(), meaning(outcome)));
        }
        return Manual.Block.terms(outcomes);
    }

    private static String meaning(AccessLog.Outcome outcome) {
        return switch (outcome) {
            case OK -> "the reply was sent whole";
            case NO_SUCH_FILE -> "not a regular file under the root (or hidden, or outside it)";
            case CANNOT_READ -> "the file could not be opened or read";
            case BAD_RANGE -> "the range is negative or ends past the largest file offset (its numbers as the client sent them)";
            case BAD_REQUEST -> "the request was malformed";
            case NAME_TOO_LONG -> "the name is longer than the protocol allows";
            case UNKNOWN_TYPE -> "a packet type this server does not know";
            case NO_REQUEST -> "the connection closed before a request arrived";
            case HEADER_TIMEOUT -> "the whole request did not arrive within the header timeout";
            case TOO_MANY_WAITING -> """
                    silent the longest while its address had more connections waiting than allowed, or answered \
                    "server busy" when the server had no room for one more""";
            case BUSY -> "no transfer place came free in time: answered \"server busy\"";
            case IDLE_TIMEOUT -> "the client took no byte for the idle timeout";
            case CLIENT_GONE -> "the client closed or reset the connection during the reply";
            case FILE_SHRANK -> "the file became shorter than the reply";
            case FILE_CHANGED -> "the file changed while it was sent (or while its digests were computed): the reply was cut short";
            case SHUTDOWN -> "the server stopped before the reply was done";
            case SERVER_ERROR -> "an internal error (--verbose shows its stack trace)";
        };
    }
}
