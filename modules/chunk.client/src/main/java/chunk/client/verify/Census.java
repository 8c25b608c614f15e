package chunk.client.verify;

import chunk.client.DownloadListener;
import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.net.Mirror;
import chunk.client.net.MirrorException;
import chunk.wire.Digest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Asks every mirror, in parallel, what it holds under a name ({@link Mirror#hold}), and waits
 * until the answers settle which of them hold the file to download ({@link CensusDecision}).
 * The download may start before every answer is in; answers that come later are handed on to
 * join or be left out once checked.
 */
public final class Census implements AutoCloseable {

    /** The least time given to the other servers once the answers in hand settle the question. */
    private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** The first pause before a server that could not answer now (busy) is asked again; each next one doubles, up to a second. */
    private static final long FIRST_PAUSE_MILLIS = 50;
    private static final long LONGEST_PAUSE_MILLIS = 1000;

    private final String fileName;
    private final List<Mirror> mirrors;
    private final Duration connectTimeout;
    private final DownloadListener listener;
    private final boolean askDigests;
    private final LinkedBlockingQueue<Claim> answers = new LinkedBlockingQueue<>();
    /** The threads still asking: closing the census interrupts them, which closes their connections. */
    private final List<Thread> asking = new CopyOnWriteArrayList<>();

    /** @param askDigests false to ask for sizes only ({@code --no-verify}) */
    public Census(String fileName, List<Mirror> mirrors, Duration connectTimeout, DownloadListener listener,
            boolean askDigests) {
        this.fileName = fileName;
        this.mirrors = List.copyOf(mirrors);
        this.connectTimeout = connectTimeout;
        this.listener = listener;
        this.askDigests = askDigests;
    }

    /**
     * Asks every mirror and waits until the answers settle the question.
     *
     * @param pinnedRoot the root the file must have ({@code --root}), or null
     * @param wholeFilePinned whether the user gave the whole file's SHA-256 ({@code --sha256}),
     *     which will be checked at the end: one answer is then enough to start
     * @param late hears each answer that comes after the verdict, on a thread of its own
     */
    public Verdict settle(@Nullable Digest pinnedRoot, boolean wholeFilePinned, Consumer<Claim> late)
            throws InterruptedException {
        long askUntil = System.nanoTime() + connectTimeout.toNanos();
        for (Mirror mirror : mirrors) {
            asking.add(Thread.ofVirtual().name("census " + mirror.address()).start(() -> answers.add(ask(mirror, askUntil))));
        }
        if (askDigests) {
            // The first SHA-256 a JVM makes sets up its security providers (about 5 ms). The
            // answers are checked with one, so it is made here while they are on their way.
            Digest.newSha256();
        }
        CensusDecision decision = new CensusDecision(fileName, mirrors.stream().map(Mirror::address).toList(),
                pinnedRoot, wholeFilePinned);
        long started = System.nanoTime();
        long deadline = started + connectTimeout.toNanos();
        long graceUntil = 0;
        List<Claim> inHand = new ArrayList<>();
        while (true) {
            boolean everyone = inHand.size() == mirrors.size();
            long now = System.nanoTime();
            Verdict verdict = decision.decide(inHand, everyone || now >= deadline);
            if (verdict != null && everyone) {
                return verdict;
            }
            if (verdict != null && graceUntil == 0) {
                // Settled, but the others are likely a moment behind: wait for them as long again
                // (and a little), so that on a good network every server takes part from the start.
                graceUntil = Math.min(deadline, now + 2 * (now - started) + GRACE_NANOS);
            }
            if (verdict != null && now >= graceUntil) {
                // A server that has not answered by now joins later if it agrees; the download
                // does not wait for it (one that accepts and never answers would hold it up
                // until the connect timeout).
                int missing = mirrors.size() - inHand.size();
                asking.add(Thread.ofVirtual().name("census late answers").start(() -> handOn(missing, late)));
                return verdict;
            }
            long until = verdict != null ? graceUntil : deadline;
            Claim claim = until > now ? answers.poll(until - now, TimeUnit.NANOSECONDS) : answers.poll(50, TimeUnit.MILLISECONDS);
            if (claim != null) {
                inHand.add(claim);
            }
        }
    }

    private void handOn(int missing, Consumer<Claim> late) {
        try {
            for (int i = 0; i < missing; i++) {
                late.accept(answers.take());
            }
        } catch (InterruptedException e) {
            // the download is over
        }
    }

    /**
     * What {@code mirror} holds; a passing failure (busy, or the connection closed before a reply)
     * is asked again after a pause, doubling each time, until {@code askUntil}.
     */
    private Claim ask(Mirror mirror, long askUntil) {
        ServerAddress server = mirror.address();
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            listener.connecting(server, fileName, null);
            try {
                return Claim.of(server, mirror.hold(fileName, askDigests));
            } catch (MirrorException e) {
                long left = askUntil - System.nanoTime();
                if (!e.kind().isPassing() || left < TimeUnit.MILLISECONDS.toNanos(pause)) {
                    return new Claim.Refused(server, e.of(server));
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return new Claim.Refused(server, new ServerFailure(server, ServerFailure.Kind.CLOSED,
                        "the question was stopped"));
            }
            pause = Math.min(LONGEST_PAUSE_MILLIS, 2 * pause);
        }
    }

    /** Stops the questions still open: their answers are no longer wanted. */
    @Override
    public void close() {
        // An interrupt closes the channel the thread waits on (socket channels are interruptible).
        asking.forEach(Thread::interrupt);
    }
}
