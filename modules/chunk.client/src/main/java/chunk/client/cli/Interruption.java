package chunk.client.cli;

import chunk.client.text.HumanFormat;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What Ctrl-C (SIGINT), SIGTERM and SIGHUP do to a running myclient: the first one interrupts
 * the download, which closes its connections, saves its resume record and says what was kept;
 * the process then exits {@link ExitCode#INTERRUPTED}, {@link ExitCode#TERMINATED} or
 * {@link ExitCode#HANGUP}.
 *
 * <p>Why {@code sun.misc.Signal} (module {@code jdk.unsupported}) and not a shutdown hook: a
 * hook runs while the JVM is already going down, in parallel with the download's threads,
 * with no way to wait for them to stop writing or to choose the exit code. A handler here
 * runs on a thread of its own and only asks the download thread to stop. It is reached through
 * method handles, not named in the code: javac warns at every use of that internal API, the
 * warning cannot be suppressed, and the build fails on warnings.
 *
 * <p>Outside a download (waiting for a name on standard input, say) there is nothing to
 * save, and the process exits at once. If the download does not stop within the grace
 * ({@link #GRACE}), or a second signal comes, it exits without waiting, with one line that
 * says so: the record on disk is then the last one saved, which is never more than what is
 * on disk. What can outlast the grace is the disk, not the network: stopping ends every
 * connection at once, but the last save must first flush what was written since the one
 * before ({@code fdatasync}), and a write the kernel holds back while the disk catches up
 * ends only when it does; on a disk slower than the download, both grow with the data
 * waiting for it.
 */
final class Interruption {

    /**
     * How long a download may take to stop and save its record after a signal: myserver's
     * grace too, and half of what {@code docker stop} waits before its SIGKILL.
     */
    static final Duration GRACE = Duration.ofSeconds(5);

    private static volatile @Nullable Thread downloading;
    private static volatile @Nullable ExitCode signalled;
    private static volatile @Nullable PrintStream err;
    private static volatile Duration grace = GRACE;

    private Interruption() {}

    /** Handles SIGINT and SIGTERM from now on; {@code err} gets the line of an immediate exit. */
    static void install(PrintStream err) {
        install(err, GRACE);
    }

    /** As {@link #install(PrintStream)}, with another grace (for tests). */
    static void install(PrintStream err, Duration grace) {
        Interruption.err = err;
        Interruption.grace = grace;
        handle("INT", ExitCode.INTERRUPTED);
        handle("TERM", ExitCode.TERMINATED);
        // The terminal went away (an ssh session dropped, a window closed): stop as for SIGTERM.
        handle("HUP", ExitCode.HANGUP);
    }

    private static void handle(String name, ExitCode code) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Object which = lookup.findConstructor(signal, MethodType.methodType(void.class, String.class)).invoke(name);
            // The handler's one method takes the Signal: drop it and call signalled(code).
            MethodHandle action = MethodHandles.dropArguments(MethodHandles.insertArguments(
                    MethodHandles.lookup().findStatic(Interruption.class, "onSignal",
                            MethodType.methodType(void.class, ExitCode.class)), 0, code), 0, signal);
            Object handler = MethodHandleProxies.asInterfaceInstance(handlerType, action);
            lookup.findStatic(signal, "handle", MethodType.methodType(handlerType, signal, handlerType))
                    .invoke(which, handler);
        } catch (IllegalArgumentException e) {
            // The JVM keeps this signal for itself (-Xrs, or a debugger): its default stays.
        } catch (Throwable e) {
            // No jdk.unsupported in this runtime: the signal's default (exit at once) stays; the
            // record on disk is the last one saved, which never claims more than is on disk.
            System.getLogger("chunk.client").log(System.Logger.Level.DEBUG, () -> "cannot handle SIG" + name + ": " + e);
        }
    }

    private static void onSignal(ExitCode code) {
        Thread thread = downloading;
        if (signalled != null || thread == null) {
            PrintStream out = err;
            if (out != null && signalled == null) {
                out.println();
                out.println("myclient: interrupted");
            }
            ProcessExit.exit(code.code());
            return;
        }
        signalled = code;
        thread.interrupt();
        Duration allowed = grace;
        Thread.ofPlatform().daemon().name("myclient-grace").start(() -> {
            try {
                Thread.sleep(allowed);
            } catch (InterruptedException e) {
                return;
            }
            PrintStream out = err;
            if (out != null) {
                out.println();
                out.println("myclient: interrupted; stopping took longer than " + HumanFormat.seconds(allowed)
                        + ", so the last save was skipped: the record keeps what was saved before it,"
                        + " and the same command continues it");
            }
            ProcessExit.exit(code.code());
        });
    }

    /** The current thread is about to download (true) or has stopped (false). */
    static void downloading(boolean now) {
        downloading = now ? Thread.currentThread() : null;
    }

    /** The exit code of the signal that interrupted the download, or null if none did. */
    static @Nullable ExitCode signalled() {
        return signalled;
    }

    /** The exit code of the signal that interrupted the download, or {@code fallback} if none did. */
    static ExitCode signalledOr(ExitCode fallback) {
        ExitCode code = signalled;
        return code != null ? code : fallback;
    }
}
