package chunk.client.testing;

import chunk.client.ServerAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A real HTTP(S) server on loopback port 0 for the client's tests, on Jetty: either Jetty's own
 * {@link ResourceHandler} serving a folder (ranges, ETags, HEAD, as a production server serves
 * them), or a handler that answers ranges as a {@link Script} says, to play the faults of a bad
 * mirror. Every request's Range header is recorded.
 */
public final class HttpTestMirror implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    /** How a scripted mirror answers one ranged GET. */
    @FunctionalInterface
    public interface Script {
        /**
         * Answers the {@code number}th request (from 0) for bytes {@code first} to {@code last} of
         * {@code file}; returns whether it answered (false: the ordinary 206).
         */
        boolean answer(int number, byte[] file, long first, long last, Request request, Response response, Callback callback)
                throws IOException;
    }

    private final Server server;
    private final ServerConnector connector;
    private final boolean tls;
    private final List<String> ranges = new CopyOnWriteArrayList<>();

    private HttpTestMirror(Server server, ServerConnector connector, boolean tls) {
        this.server = server;
        this.connector = connector;
        this.tls = tls;
    }

    /** Jetty's resource handler serving {@code root} over HTTP. */
    public static HttpTestMirror serving(Path root) throws Exception {
        return serving(root, null);
    }

    /** Jetty's resource handler serving {@code root}, over HTTPS with {@code keyStore} if not null. */
    public static HttpTestMirror serving(Path root, TestCertificates.KeyStoreFile keyStore) throws Exception {
        Server server = new Server();
        ServerConnector connector = connector(server, keyStore);
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(files).newResource(root));
        files.setDirAllowed(false);
        files.setEtags(true);
        HttpTestMirror mirror = new HttpTestMirror(server, connector, keyStore != null);
        server.setHandler(new Handler.Wrapper(files) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String range = request.getHeaders().get(HttpHeader.RANGE);
                mirror.ranges.add(range == null ? "-" : range);
                return super.handle(request, response, callback);
            }
        });
        server.start();
        return mirror;
    }

    /**
     * A scripted mirror of {@code file} at {@code /<its name>}, over HTTP: a 206 for each range,
     * with a strong ETag, unless {@code script} answers otherwise.
     */
    public static HttpTestMirror scripted(Path file, Script script) throws Exception {
        Server server = new Server();
        ServerConnector connector = connector(server, null);
        HttpTestMirror mirror = new HttpTestMirror(server, connector, false);
        byte[] bytes = Files.readAllBytes(file);
        String path = "/" + file.getFileName();
        AtomicInteger requests = new AtomicInteger();
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String range = request.getHeaders().get(HttpHeader.RANGE);
                mirror.ranges.add(range == null ? "-" : range);
                if (!Request.getPathInContext(request).equals(path)) {
                    Response.writeError(request, response, callback, 404);
                    return true;
                }
                Matcher matcher = range == null ? null : RANGE.matcher(range);
                long first = matcher != null && matcher.matches() ? Long.parseLong(matcher.group(1)) : 0;
                long last = matcher != null && matcher.matches() ? Math.min(Long.parseLong(matcher.group(2)), bytes.length - 1)
                        : bytes.length - 1;
                if (script.answer(requests.getAndIncrement(), bytes, first, last, request, response, callback)) {
                    return true;
                }
                partial(bytes, first, last, "\"v1\"", response, callback);
                return true;
            }
        });
        server.start();
        return mirror;
    }

    /** The ordinary answer to a range: 206, its Content-Range, the ETag, exactly its bytes. */
    public static void partial(byte[] file, long first, long last, String etag, Response response, Callback callback) {
        response.setStatus(206);
        response.getHeaders().put(HttpHeader.ETAG, etag);
        response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + file.length);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, last - first + 1);
        response.write(true, ByteBuffer.wrap(file, (int) first, (int) (last - first + 1)), callback);
    }

    private static ServerConnector connector(Server server, TestCertificates.KeyStoreFile keyStore) {
        ServerConnector connector;
        if (keyStore == null) {
            connector = new ServerConnector(server);
        } else {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(keyStore.path().toString());
            tls.setKeyStorePassword(keyStore.password());
            tls.setKeyStoreType("PKCS12");
            connector = new ServerConnector(server, tls);
        }
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        return connector;
    }

    /** The URL of the served folder, ending in /, with {@code host} for the host ({@code 127.0.0.1}, {@code localhost}). */
    public ServerAddress.Url folder(String host) {
        return ServerAddress.Url.parse((tls ? "https://" : "http://") + host + ":" + connector.getLocalPort() + "/");
    }

    /** The URL of the served folder on 127.0.0.1. */
    public ServerAddress.Url folder() {
        return folder("127.0.0.1");
    }

    /** The URL of {@code name} in the served folder, on 127.0.0.1. */
    public ServerAddress.Url file(String name) {
        return ServerAddress.Url.parse(folder() + name);
    }

    /** The Range header of every request so far, in order ({@code -} for none). */
    public List<String> ranges() {
        return List.copyOf(ranges);
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IOException("cannot stop the test mirror", e);
        }
    }
}
