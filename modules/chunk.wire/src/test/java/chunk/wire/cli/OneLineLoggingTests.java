package chunk.wire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OneLineLoggingTests {

    private final ByteArrayOutputStream lines = new ByteArrayOutputStream();

    private String printed() {
        return lines.toString(StandardCharsets.UTF_8);
    }

    @AfterEach
    void backToStandardError() {
        OneLineLogging.configure("chunk", System.err, false);
    }

    @Test
    void isTheLoggerFinderOfTheProcess() {
        assertThat(System.LoggerFinder.getLoggerFinder()).isInstanceOf(OneLineLogging.class);
    }

    @Test
    void printsOneLineInTheProgramsFormAndDebugOnlyWhenVerbose() {
        OneLineLogging.configure("myx", new PrintStream(lines, true, StandardCharsets.UTF_8), false);
        System.Logger log = System.getLogger("chunk.server");

        log.log(Level.INFO, "grace period over");
        log.log(Level.WARNING, "cannot accept", new IOException("too many open files"));
        log.log(Level.DEBUG, "hidden");

        assertThat(printed()).isEqualTo("""
                myx: grace period over
                myx: warning: cannot accept (java.io.IOException: too many open files)
                """);
    }

    @Test
    void showsDebugAndStackTracesWhenVerboseButNeverTheJdksExitTrace() {
        OneLineLogging.configure("myx", new PrintStream(lines, true, StandardCharsets.UTF_8), true);

        System.getLogger("java.lang.Runtime").log(Level.DEBUG, "Runtime.exit() called with status: 130", new Throwable());
        System.getLogger("chunk.server").log(Level.DEBUG, () -> "connection 7: reset");
        System.getLogger("chunk.server").log(Level.DEBUG, "stack trace", new IOException("reset"));

        assertThat(printed()).doesNotContain("Runtime.exit")
                .startsWith("myx: debug: connection 7: reset\nmyx: debug: stack trace\njava.io.IOException: reset\n");
    }
}
