package chunk.wire.cli;

/** How much a program prints: {@code --quiet}, neither, or {@code --verbose}. */
public enum Verbosity { QUIET, NORMAL, VERBOSE }
