package chunk.client.cli;

import static chunk.wire.cli.Manual.Block.terms;
import static chunk.wire.cli.Manual.Block.text;
import static chunk.wire.cli.Manual.Block.verbatim;

import chunk.wire.cli.Completion;
import chunk.wire.cli.Manual;
import chunk.wire.cli.ManualFiles;
import chunk.wire.cli.Versions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * myclient's manual: the help ({@link CommandLine#help()}), the man page myclient(1) and the
 * shell completions are made from it, with the options of {@link CommandLine#OPTIONS} and the
 * exit codes of {@link ExitCode}. The long reference lives here, not in the README.
 *
 * <p>The build runs {@link #main} to write the man page and completions for the Debian package.
 */
public final class ClientManual {

    private ClientManual() {}

    /** Writes myclient's man page and completions under a {@code share} folder: {@code main(share, date)}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ClientManual <share-folder> <date, as 2026-12-01>");
            System.exit(ExitCode.USAGE.code());
        }
        ManualFiles.write(manual(), "chunk " + Versions.of(ClientManual.class), args[1], Path.of(args[0]));
    }

    static Manual manual() {
        Manual.Builder manual = Manual.builder("myclient")
                .summary("download a file from several servers at once")
                .synopsis(CommandLine.SYNOPSES.get(0))
                .synopsis(CommandLine.SYNOPSES.get(1))
                .synopsis(CommandLine.SYNOPSES.get(2))
                .about("""
                        Downloads files from several servers at once (myservers, HTTP and HTTPS mirrors), in
                        <chunks> parallel byte ranges. The names of the files come after <chunks> (or after
                        the -s servers), or from standard input, one a line; <url>s are mirrors of one file,
                        saved under the name at the end of the first.""")
                .topic("How it downloads",
                        text("""
                                It first asks every server at once what it holds under the name: size and root \
                                (chunk's DIGESTS request), or, from a server that answers that with an error as the \
                                original does, the size alone. The root is that of the file's digest tree, BitTorrent \
                                v2's (BEP 52): the same 32 bytes whatever the piece length, what a v2 torrent and \
                                myserver --print-root name the file by (a myserver of an earlier round gives a root of \
                                its own kind, and counts as giving the size alone beside one that gives the tree). \
                                Servers are grouped by what they say; the largest group \
                                wins and every other server is named and left out. With no largest group (one against \
                                one) nothing is downloaded: each server is named with what it said, and the file must \
                                be pinned with --sha256 or --root (exit 8)."""),
                        text("""
                                The file is cut into pieces of one power-of-two length, 16 KiB (a block of the tree; \
                                4 KiB without it) to 1 MiB (longer only past 16 GiB), and the digest of every piece \
                                (its node of the tree) is fetched from the servers that agreed. The \
                                <chunks> are the starting assignment, a run of whole pieces each, fetched on its own \
                                thread: chunk i asks server i mod n first, then the next ones; a server that fails \
                                part-way is followed by the next one, asked only for the pieces still missing. Every \
                                piece is checked as it arrives; one that does not match is fetched again from another \
                                server, and the server that sent it gets no more work."""),
                        text("""
                                A chunk that has finished keeps working while work remains: it takes the back half of \
                                the range expected to finish last, from the server that would deliver it fastest. A \
                                server much slower than the others gets no new work while faster ones have room; at \
                                the end, the rest of a range on a connection three times slower than another server \
                                would be moves there. Three failures in a row leave a server out. At most 64 \
                                connections are open at once, at most 16 to one server, each kept open for the next \
                                request where the server agrees."""))
                .topic("HTTP(S) mirrors",
                        text("""
                                A mirror may be an http:// or https:// URL: of the file itself (<url>), or of a folder, \
                                ending in /, to which each name is appended, percent-encoded (-s, or a line of the \
                                servers file). Where the servers are on the command line, -n gives the chunks (default: \
                                one per server, at least 4). A guess in another form says what to write instead: \
                                myclient 127.0.0.11:4000 4 one.bin exits 3 with ...; to give a server on the command \
                                line, write: myclient -s 127.0.0.11:4000 -n 4 one.bin."""),
                        text("""
                                How ranges are asked (RFC 9110): the size and the strong validator (a strong ETag, or a \
                                Last-Modified a second before the reply's Date) come from a first GET of bytes=0-0, \
                                following at most 10 redirects (never from https to http) to the URL every range then \
                                asks. Every range carries If-Range with that validator and is taken only as a 206 whose \
                                Content-Range is exactly the range, of a file of the same size, read to exactly its \
                                length. A 200 to a range is never written anywhere: the mirror has another version now, \
                                or serves no ranges, and is left out. Connections are kept alive; 429 and 503 count as \
                                busy, and a Retry-After up to the --timeout holds that mirror's requests back as long."""),
                        text("""
                                What is checked: where a myserver in the list gives digests, every piece from an HTTP \
                                mirror is checked against them, and a mirror that sends one bad piece is left out. With \
                                HTTP mirrors alone the summary says unverified: the size, each range's Content-Range \
                                and length, and each origin's validator are checked (a file that changes is noticed), \
                                mirrors of different origins are compared by size only, and --sha256 checks the whole \
                                file. The resume record names the version seen at each origin: a changed one starts \
                                over, with one line. Certificates and host names are always checked; --ca-cert adds a \
                                private CA's. Not supported: proxies, authentication (a URL with user:password@ is \
                                refused), cookies, HTTP/2, mirrors without byte ranges (left out)."""))
                .topic("Files",
                        text("""
                                Data goes to <name>.part beside the final file, sized up front. A complete download is \
                                flushed (unless --no-fsync) and renamed to the final name atomically; a download that \
                                did not complete never appears under the final name. An existing file is never touched \
                                unless --force, and then only by that rename. A file larger than the free space is \
                                refused before anything is fetched. A name that would land outside the current folder \
                                (../x, /etc/x) is saved under its base name."""),
                        text("""
                                Before it writes a byte, a download takes an exclusive lock on its .part file and holds \
                                it until the rename: a second myclient for the same output stops at once (exit 7). The \
                                lock ends with the process, however it ends, so no stale lock blocks a later run."""))
                .topic("Resume",
                        text("""
                                Beside the part file, <name>.part.resume records the file's identity (size, name, root), \
                                the piece length, and which pieces are done; a piece is recorded only once written, \
                                verified and flushed. A crash at any moment leaves the previous record or the new one. \
                                The same command run again continues, whatever <chunks> and servers it is given, and \
                                fetches only the missing pieces; pieces the record names are hashed again where servers \
                                give digests. A record that is damaged, of another file, or of a file that changed on \
                                the servers is discarded with one line and the download starts over. --no-resume \
                                starts over on purpose."""),
                        text("""
                                Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal closed) close the connections, save \
                                the record, end the progress line, and exit 130, 143 or 129:"""),
                        verbatim("myclient: interrupted; 412 MiB of 1.00 GiB kept in data.bin.part; the same command continues it"),
                        text("""
                                With -o - there is nothing to continue, and the line is myclient: interrupted. A second \
                                signal exits at once; a download that does not stop within 5 seconds exits then, with \
                                the last record saved. In a script, send SIGTERM: a program started in the background \
                                with & ignores SIGINT."""))
                .topic("Standard output",
                        text("""
                                -o - streams: the file is fetched in order, lowest pieces first, and each piece goes \
                                to standard output as soon as it and every piece before it have arrived and been \
                                checked. Pieces that arrive ahead of a missing one wait in a temporary file \
                                ($TMPDIR/myclient-*.window) of at most 64 MiB, removed at the end; the fetching never \
                                runs further ahead than that. A reader that goes away stops the download at once \
                                (exit 6)."""),
                        text("""
                                What streaming cannot promise: bytes in a pipe cannot be taken back, so a download \
                                that fails part-way leaves the reader the file's beginning, up to the first piece that \
                                never came (nothing resumes a stream); and without digests only the headers and sizes \
                                are checked. With --sha256, which only the whole file can be checked against, the file \
                                is downloaded whole into a temporary folder first and written out only if it matches. \
                                A character device (-o /dev/null) is written through in order the same way."""))
                .topic("Output",
                        text("""
                                On standard error (standard output carries only --help, --version, --json, or the data \
                                of -o -): a progress line when standard error is a terminal, and a summary:"""),
                        verbatim("""
                                data.bin: 1.00 GiB in 1.52 s, 706 MB/s, 4 chunks from 4 servers, verified
                                  127.0.0.1:4000 300 MiB at 240 MB/s; 127.0.0.1:4001 290 MiB at 231 MB/s; ..."""),
                        text("""
                                The first line ends in verified, unverified (no server gives digests) or not verified \
                                (--no-verify). When no server has the file: Cannot transfer this file, then each \
                                server's reason; when chunks are missing: not all chunks are downloaded, the failed \
                                chunks in groups that failed alike, and where the .part file was kept. Every error is \
                                one line that says what failed and what to do; a stack trace only with --verbose."""))
                .topic("JSON output",
                        text("""
                                --json prints, for each file, one JSON object on one line of standard output, with \
                                these fields (nothing for a mistake found before any file is asked for):"""),
                        terms(List.of(
                                new Manual.Term("name", "the name asked of the servers"),
                                new Manual.Term("outcome", """
                                        completed, incomplete, unavailable, local-failure, disputed or \
                                        checksum-mismatch"""),
                                new Manual.Term("file", "where it was saved (the .part file when incomplete)"),
                                new Manual.Term("size, seconds", "the file's size in bytes, and the time the download took"),
                                new Manual.Term("message", "what went wrong, for a person (every outcome but completed)"),
                                new Manual.Term("verification", "status (verified, unverified, off), root, pieceLength, sha256"),
                                new Manual.Term("servers", """
                                        per server: server, bytes, bytesPerSecond, connectionBytesPerSecond, failures, \
                                        leftOut"""),
                                new Manual.Term("chunks", "per chunk: index, offset, length, complete, servers or received and failures"),
                                new Manual.Term("failures, claims", "unavailable: each server's reason; disputed: what each server said"),
                                new Manual.Term("expectedSha256, actualSha256, tried", "checksum-mismatch: the digests, and each group of servers tried"),
                                new Manual.Term("exitCode", "the exit code this file stands for"))))
                .argument("<servers-file>", "a server a line: 'host port' (a myserver; host name,\n"
                        + "IPv4 or IPv6 address) or an http:// or https:// URL of\n"
                        + "a folder, ending in /; '#' starts a comment; the first\n"
                        + "20 servers are used", """
                        IPv6 as ::1 4000 or [::1] 4000; blank lines allowed. A server listed twice is used once (with \
                        a note naming the line), so that it cannot outvote the others. A bad line is reported as \
                        myclient: servers.txt:3: expected 'host port' or a folder's URL, found 'localhost' (exit 3).""",
                        Completion.FILES)
                .argument("<chunks>", "how many ranges to download in parallel (1 to " + CommandLine.MAX_CHUNKS + ")", """
                        The starting assignment: each is a thread and a request of its own, on a connection kept \
                        open where the server agrees; never more than one a piece.""", Completion.NOTHING)
                .argument("[file-name...]", "the files to download, in turn", """
                        Without any, names are read from standard input, one a line (on a terminal after the \
                        prompt File name:). With several, the exit code is that of the first name that failed.""",
                        Completion.NOTHING)
                .argument("<url>", "the http:// or https:// URL of the file on one mirror", """
                        Several are mirrors of one file, saved under the name at the end of the first; -s \
                        servers may join them. Without <chunks>, one chunk per server, at least 4 (-n sets it).""",
                        Completion.NOTHING)
                .options(CommandLine.OPTIONS)
                .file("<name>.part", "the file while it downloads, and what an interrupted download keeps")
                .file("<name>.part.resume", "which pieces of the part file are done (see Resume)")
                .environment("TMPDIR", "where -o - keeps the pieces that arrived ahead of a missing one (default /tmp)")
                .environment("JAVA_OPTS", "more options for the Java virtual machine, passed on by the launcher")
                .example("Download big.iso in 8 chunks from the servers listed in servers.txt:", """
                        printf 'mirror1.example 4000\\nmirror2.example 4000\\n' > servers.txt
                        myclient servers.txt 8 big.iso""")
                .example("Check it against the SHA-256 its publisher gives, and save it under another name:",
                        "myclient servers.txt 8 big.iso --sha256 <hex> -o /tmp/copy.iso")
                .example("Several files, their names on standard input, each saved in downloads/:",
                        "printf 'a.bin\\nb.bin\\n' | myclient servers.txt 4 -o downloads/")
                .example("Pass the data on without saving it:", "myclient servers.txt 4 big.iso -o - | sha256sum")
                .seeAlso("myserver(1)", "/usr/share/doc/chunk/PROTOCOL.md (the protocol)");
        for (ExitCode code : ExitCode.values()) {
            manual.exitStatus(code.code(), code.meaning());
        }
        return manual.build();
    }
}
