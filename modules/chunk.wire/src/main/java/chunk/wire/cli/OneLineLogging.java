package chunk.wire.cli;

import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Every {@link System.Logger} of the process prints one line in the program's own form,
 * {@code myserver: grace period over: …}, instead of the JDK's two-line form (a date and the
 * class, then {@code INFO: …}). Installed as the process's {@link System.LoggerFinder} by this
 * module's {@code provides}; a program's {@code main} calls {@link #configure} first thing.
 *
 * <p>The JDK's own loggers ({@code java.*}, {@code jdk.*}, {@code sun.*}) print only warnings
 * and errors, even with {@code --verbose}: at DEBUG, {@code Runtime.exit} logs every call
 * with a stack trace, which says nothing to a user.
 */
public final class OneLineLogging extends System.LoggerFinder {

    private static volatile String program = "chunk";
    private static volatile PrintStream err = System.err;
    private static volatile boolean verbose;

    /** Made by the {@link java.util.ServiceLoader}; programs only {@link #configure} it. */
    public OneLineLogging() {}

    /**
     * Sets the program name that starts each line, where lines go, and whether DEBUG messages
     * and stack traces are shown ({@code --verbose}). Loggers already made follow at once.
     */
    public static void configure(String programName, PrintStream stream, boolean debug) {
        program = programName;
        err = stream;
        verbose = debug;
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new OneLine(name);
    }

    private record OneLine(String name) implements System.Logger {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            if (level == Level.OFF) {
                return false;
            }
            if (name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.")) {
                return level.getSeverity() >= Level.WARNING.getSeverity();
            }
            return level.getSeverity() >= (verbose ? Level.DEBUG : Level.INFO).getSeverity();
        }

        @Override
        public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String message, @Nullable Throwable thrown) {
            if (isLoggable(level)) {
                print(level, String.valueOf(message), thrown);
            }
        }

        @Override
        public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String format, @Nullable Object... params) {
            if (isLoggable(level)) {
                String text = String.valueOf(format);
                print(level, params == null || params.length == 0 ? text : MessageFormat.format(text, params), null);
            }
        }

        @Override
        public void log(Level level, Supplier<String> message) {
            if (isLoggable(level)) {
                print(level, message.get(), null);
            }
        }

        @Override
        public void log(Level level, Supplier<String> message, Throwable thrown) {
            if (isLoggable(level)) {
                print(level, message.get(), thrown);
            }
        }

        private static void print(Level level, String message, @Nullable Throwable thrown) {
            String prefix = switch (level) {
                case ERROR -> "error: ";
                case WARNING -> "warning: ";
                case DEBUG, TRACE -> "debug: ";
                case ALL, INFO, OFF -> "";
            };
            PrintStream stream = err;
            synchronized (stream) {
                stream.println(program + ": " + prefix + message
                        + (thrown != null && !verbose ? " (" + thrown + ")" : ""));
                if (thrown != null && verbose) {
                    thrown.printStackTrace(stream);
                }
            }
        }
    }
}
