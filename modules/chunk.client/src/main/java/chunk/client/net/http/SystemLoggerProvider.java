package chunk.client.net.http;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * SLF4J's provider for this program (found by SLF4J's {@code ServiceLoader} through the module's
 * {@code provides}): the HTTP client library logs through SLF4J, and its lines go to
 * {@link System.Logger}, which prints them in the program's one-line form. Without a provider
 * SLF4J prints a warning of its own at the first HTTP download. (The artifact
 * {@code slf4j-jdk-platform-logging} goes the other way: {@code System.Logger} to SLF4J.)
 *
 * <p>A library's INFO is the program's DEBUG, and its DEBUG and TRACE (every header, every byte
 * on the wire) are TRACE, which {@code --verbose} does not show.
 */
public final class SystemLoggerProvider implements SLF4JServiceProvider {

    private final ILoggerFactory loggers = new Loggers();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /** Made by SLF4J's {@code ServiceLoader}. */
    public SystemLoggerProvider() {}

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {}

    private static final class Loggers implements ILoggerFactory {
        private final Map<String, Logger> made = new ConcurrentHashMap<>();

        @Override
        public Logger getLogger(String name) {
            return made.computeIfAbsent(name, ToSystemLogger::new);
        }
    }

    /** One SLF4J logger, writing to the {@link System.Logger} of the same name. */
    private static final class ToSystemLogger extends AbstractLogger {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        private final transient System.Logger target;

        ToSystemLogger(String name) {
            this.name = name;
            this.target = System.getLogger(name);
        }

        private static Level level(org.slf4j.event.Level level) {
            return switch (level) {
                case ERROR -> Level.ERROR;
                case WARN -> Level.WARNING;
                case INFO -> Level.DEBUG;
                case DEBUG, TRACE -> Level.TRACE;
            };
        }

        @Override
        protected @Nullable String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(org.slf4j.event.Level level, @Nullable Marker marker,
                @Nullable String pattern, @Nullable Object[] arguments, @Nullable Throwable thrown) {
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            target.log(level(level), message, thrown);
        }

        @Override
        public boolean isTraceEnabled() {
            return target.isLoggable(Level.TRACE);
        }

        @Override
        public boolean isTraceEnabled(@Nullable Marker marker) {
            return isTraceEnabled();
        }

        @Override
        public boolean isDebugEnabled() {
            return target.isLoggable(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled(@Nullable Marker marker) {
            return isDebugEnabled();
        }

        @Override
        public boolean isInfoEnabled() {
            return target.isLoggable(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled(@Nullable Marker marker) {
            return isInfoEnabled();
        }

        @Override
        public boolean isWarnEnabled() {
            return target.isLoggable(Level.WARNING);
        }

        @Override
        public boolean isWarnEnabled(@Nullable Marker marker) {
            return isWarnEnabled();
        }

        @Override
        public boolean isErrorEnabled() {
            return target.isLoggable(Level.ERROR);
        }

        @Override
        public boolean isErrorEnabled(@Nullable Marker marker) {
            return isErrorEnabled();
        }
    }
}
