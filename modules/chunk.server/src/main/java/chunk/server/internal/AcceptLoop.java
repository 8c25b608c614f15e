package chunk.server.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Accepts connections one at a time and hands each to its own virtual thread. A permit is
 * taken before {@code accept}, so above the cap on open connections ({@code --max-connections},
 * thousands: a connection waiting for its request is only a parked virtual thread) new ones
 * wait in the operating system's backlog. Transfer places are the {@link Admission}'s.
 * The permit is given back, and the socket closed, in {@code finally}.
 */
final class AcceptLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger("chunk.server");

    private final ServerSocketChannel listener;
    private final Semaphore permits;
    private final ExecutorService connections;
    private final Consumer<SocketChannel> handler;
    private final Consumer<IOException> onFatal;

    /**
     * @param maxConnections connections open at once; above it, new ones wait in the backlog
     * @param handler serves one connection; it owns the channel and must close it
     * @param onFatal told when the listener itself fails
     */
    AcceptLoop(ServerSocketChannel listener, int maxConnections, ExecutorService connections,
               Consumer<SocketChannel> handler, Consumer<IOException> onFatal) {
        this.listener = listener;
        this.permits = new Semaphore(maxConnections);
        this.connections = connections;
        this.handler = handler;
        this.onFatal = onFatal;
    }

    @Override
    public void run() {
        while (listener.isOpen()) {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                return; // shutting down
            }
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (ClosedChannelException e) {
                permits.release();
                return; // closed by shutdown
            } catch (IOException e) {
                permits.release();
                if (!listener.isOpen()) {
                    return;
                }
                // Usually out of file descriptors: transient, so wait a little instead of dying or spinning.
                LOG.log(Level.WARNING, "cannot accept a connection: " + e.getMessage());
                if (!pause()) {
                    return;
                }
                continue;
            } catch (RuntimeException e) {
                permits.release();
                onFatal.accept(new IOException("the accept loop failed: " + e, e));
                return;
            }
            try {
                connections.execute(() -> {
                    try {
                        handler.accept(channel);
                    } finally {
                        permits.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                permits.release(); // shutting down between accept and execute
                closeQuietly(channel);
                return;
            }
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(100);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
