package chunk.wire.cli;

import static chunk.wire.cli.Manual.Block.terms;
import static chunk.wire.cli.Manual.Block.text;
import static chunk.wire.cli.Manual.Block.verbatim;

import java.util.List;

/** A manual with every kind of part and the text that roff and shells treat specially. */
final class SampleManual {

    static final Option OUTPUT = Option.valued("--output", "-o", "<path>", "save as this file; - for standard output")
            .described("A name ending in / must be an existing folder.\n\nAn existing file is kept unless --force.")
            .completing(Completion.FILES);
    static final Option SPOOL = Option.valued("--spool", "<dir>", "a folder [for] the: parts").completing(Completion.FOLDERS);
    static final Option ORDER = Option.valued("--order", "<how>", "fast or slow servers first\n(default: fast)")
            .completing(Completion.oneOf("fast", "slow"));
    static final Option TIMEOUT = Option.valued("--timeout", "<s>", "seconds a server may send nothing (default: 30)");
    static final Option FORCE = Option.flag("--force", "replace an existing file");
    static final Option NO_FSYNC = Option.flag("--no-fsync", "do not flush the file to disk (see also --force)");
    static final Option QUIET = Option.quiet("print nothing but errors");
    static final Option VERBOSE = Option.verbose("show every connection's story");
    static final List<Option> OPTIONS = List.of(OUTPUT, SPOOL, ORDER, TIMEOUT, FORCE, NO_FSYNC, QUIET, VERBOSE, Option.HELP, Option.VERSION);

    static final Manual MANUAL = Manual.builder("sample")
            .summary("download a file from several servers")
            .synopsis("[options] <servers-file> <chunks> [file-name...]")
            .about("""
                    Downloads files from several servers at once,
                    in <chunks> parallel byte ranges.""")
            .topic("How it downloads",
                    text(".part files start with a dot here, so roff must not read this line as a request."),
                    text("A backslash \\ stays one, -o - stays a minus, kept-open stays a hyphen, and 5 µs … stays Unicode."),
                    verbatim("""
                            sample: data.bin: 412 MiB of 1.00 GiB kept in data.bin.part
                            .not a request either"""),
                    terms(List.of(new Manual.Term("ok", "the reply was sent whole"),
                            new Manual.Term("'busy", "no place came free"))))
            .argument("<servers-file>", "'host port' lines", "Blank lines and # comments are allowed.", Completion.FILES)
            .argument("<chunks>", "how many ranges to download in parallel", "", Completion.NOTHING)
            .argument("[file-name...]", "the files to download", "", Completion.NOTHING)
            .options(OPTIONS)
            .exitStatus(0, "every file is complete")
            .exitStatus(2, "usage error: a bad option or argument, said in one line that points at --help and is long enough to wrap")
            .exitStatus(130, "stopped by Ctrl-C")
            .file("<name>.part", "the file while it downloads")
            .environment("JAVA_OPTS", "more options for the Java virtual machine")
            .example("Download big.iso in 8 chunks:", "sample servers.txt 8 big.iso")
            .example("Two lines:", "echo big.iso |\n  sample -o - servers.txt 8 > copy.iso")
            .seeAlso("myserver(1)", "docs/PROTOCOL.md")
            .build();

    private SampleManual() {}
}
