package chunk.client.cli;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A download that does not stop when it is interrupted, as one whose last save waits for a
 * disk that is far behind: run as its own process by {@link InterruptionProcessTests}.
 */
final class StopsLate {

    private StopsLate() {}

    public static void main(String[] args) {
        Interruption.install(System.err, Duration.ofMillis(Long.parseLong(args[0])));
        Interruption.downloading(true);
        System.out.println("downloading");
        System.out.flush();
        while (true) {
            LockSupport.park(); // an interrupt only wakes it: like a flush, it goes on
            Thread.interrupted();
        }
    }
}
