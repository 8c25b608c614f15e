package chunk.client.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Ends the myclient process once everything it had to say and write is out.
 *
 * <p>Why not just {@link System#exit}: virtual threads wait for sockets through the JDK's
 * poller, a platform thread that sits in native code ({@code epoll_wait}) for the life of the
 * process. At exit HotSpot waits up to 300 ms for threads in native code to come back
 * ({@code VM_Exit::wait_for_threads_in_native_to_block}), and the poller never does, so
 * every run of myclient would end with 300 ms of nothing: for a small file, more than half
 * of the whole run (docs/BENCHMARKS.md, scenario 3).
 *
 * <p>When its module may call native code (the image's {@code bin/myclient} launcher passes
 * {@code --enable-native-access=chunk.client}), the process ends through the C library's
 * {@code _exit}, which does not wait. That is safe here because by then every file is closed
 * and renamed (and flushed, unless {@code --no-fsync}), the standard streams are flushed, and
 * the one shutdown hook myclient has (which ends the progress line on Ctrl-C) is removed. Without native access (for example
 * {@code java -m chunk.client} without the flag), it falls back to {@link System#exit}, which
 * is correct, only slower, and prints no warning.
 *
 * <p>The system property {@code chunk.client.exit=system} asks for {@link System#exit} too:
 * the image build's training run needs it, because the JVM writes its ahead-of-time cache
 * during its own exit.
 */
final class ProcessExit {

    /**
     * Making the downcall handle spins some 30 classes (about 30 ms); a thread started with the
     * process makes it while the download runs, on a core that is otherwise mostly idle.
     */
    private static final FutureTask<Optional<MethodHandle>> C_EXIT = new FutureTask<>(ProcessExit::cExit);

    private ProcessExit() {}

    /** Starts making what {@link #exit} needs; call it first thing in {@code main}. */
    static void prepare() {
        Thread.ofPlatform().daemon().name("myclient-exit").start(C_EXIT);
    }

    /** Flushes standard output and standard error, then ends the process with this status. */
    static void exit(int status) {
        System.out.flush();
        System.err.flush();
        Optional<MethodHandle> exitNow = preparedCExit();
        // The handle is made in training runs too, so that the AOT cache holds what making it takes.
        if (exitNow.isPresent() && !"system".equals(System.getProperty("chunk.client.exit"))) {
            try {
                exitNow.get().invokeExact(status);
            } catch (Throwable e) {
                // _exit does not return; if the call itself could not be made, exit the slow way.
            }
        }
        System.exit(status);
    }

    private static Optional<MethodHandle> preparedCExit() {
        try {
            C_EXIT.run(); // does nothing if prepare() ran it or is running it
            return C_EXIT.get();
        } catch (ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    // "restricted": calling native code is the point here, and it is guarded by isNativeAccessEnabled below.
    @SuppressWarnings("restricted")
    private static Optional<MethodHandle> cExit() {
        if (!ProcessExit.class.getModule().isNativeAccessEnabled()) {
            return Optional.empty();
        }
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find("_exit")
                .map(address -> linker.downcallHandle(address, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)));
    }
}
