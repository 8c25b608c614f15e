// bench/Load.java: a load generator for the chunk protocol and, for comparison, HTTP/1.1 range
// requests (nginx). A single-file program for the JDK 25 launcher: java bench/Load.java ...
//
// Every request is its own connection (the chunk protocol has one request per connection, so
// HTTP gets "Connection: close" too): a SIZE (HTTP: HEAD) or a CHUNK of a range (HTTP: GET with
// Range), its answer checked byte for byte against the local copy of the file. Prints one line
// of figures: requests, connections per second, bytes per second, latency percentiles
// (connect to last byte), errors. See bench/load and docs/BENCHMARKS.md.
//
//   java bench/Load.java load chunk|http <host:port> <file> [--requests N] [--concurrency C]
//        [--chunk BYTES] [--size-share F] [--crowd N] [--crowd-from A] [--connect-first]
//   java bench/Load.java hold <host:port> <count> [--from-base 127.0.0.2] [--per-address 250] [--seconds S]
//   java bench/Load.java stall <host:port> <file name> <count> <seconds>
//
// --crowd N opens N connections that send nothing (from --crowd-from, default 127.0.0.2) and
// keeps them open while the load runs; --connect-first makes the first C requests connect
// all before any sends its request (as curl --parallel does: a burst's worst case for a
// server that counts the connections waiting for their request); "hold" opens <count> silent connections spread over
// several loopback source addresses, reports how many stay open, and waits S seconds;
// "stall" opens <count> connections that each ask for a huge chunk and read none of it.

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

void main(String[] args) throws Exception {
    if (args.length < 3) {
        System.err.println("usage: see the head of bench/Load.java");
        System.exit(2);
    }
    switch (args[0]) {
        case "load" -> load(args);
        case "hold" -> hold(args);
        case "stall" -> stall(args);
        default -> {
            System.err.println("load: unknown mode " + args[0]);
            System.exit(2);
        }
    }
}

static String option(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
        if (args[i].equals(name)) {
            return args[i + 1];
        }
    }
    return fallback;
}

static InetSocketAddress target(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
}

void load(String[] args) throws Exception {
    boolean http = switch (args[1]) {
        case "chunk" -> false;
        case "http" -> true;
        default -> throw new IllegalArgumentException("protocol chunk or http, not " + args[1]);
    };
    InetSocketAddress server = target(args[2]);
    Path file = Path.of(args[3]);
    String name = file.getFileName().toString();
    byte[] content = Files.readAllBytes(file);
    int requests = Integer.parseInt(option(args, "--requests", "2000"));
    int concurrency = Integer.parseInt(option(args, "--concurrency", "50"));
    int chunk = Integer.parseInt(option(args, "--chunk", String.valueOf(64 * 1024)));
    double sizeShare = Double.parseDouble(option(args, "--size-share", "0.1"));
    int crowdCount = Integer.parseInt(option(args, "--crowd", "0"));
    InetAddress crowdFrom = InetAddress.getByName(option(args, "--crowd-from", "127.0.0.2"));
    // With --connect-first the first wave waits here, connected, until the whole wave is.
    int wave = Arrays.asList(args).contains("--connect-first") ? Math.min(requests, concurrency) : 0;
    CountDownLatch connected = new CountDownLatch(wave);

    List<Socket> crowd = new ArrayList<>();
    for (int i = 0; i < crowdCount; i++) {
        Socket idle = new Socket();
        idle.bind(new InetSocketAddress(crowdFrom, 0));
        idle.connect(server, 10_000);
        crowd.add(idle);
    }
    long[] latencies = new long[requests];
    AtomicLong bytes = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    Semaphore slots = new Semaphore(concurrency);
    long start = System.nanoTime();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < requests; i++) {
            slots.acquire();
            int index = i;
            clients.execute(() -> {
                try {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    boolean size = random.nextDouble() < sizeShare;
                    int length = Math.min(chunk, content.length);
                    int offset = random.nextInt(content.length - length + 1);
                    long t0 = System.nanoTime();
                    Runnable onConnect = index < wave ? () -> awaitWave(connected) : () -> {};
                    long got = http ? httpRequest(server, name, content, size, offset, length, onConnect)
                            : chunkRequest(server, name, content, size, offset, length, onConnect);
                    latencies[index] = System.nanoTime() - t0;
                    bytes.addAndGet(got);
                } catch (Exception | AssertionError e) {
                    latencies[index] = -1;
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e.toString());
                } finally {
                    slots.release();
                }
            });
        }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int crowdStillOpen = 0;
    for (Socket idle : crowd) {
        idle.setSoTimeout(1);
        try {
            if (idle.getInputStream().read() >= 0) {
                crowdStillOpen++; // unexpected data, but open
            }
        } catch (java.net.SocketTimeoutException open) {
            crowdStillOpen++;
        } catch (IOException closed) {
            // reset: closed by the server
        }
        idle.close();
    }
    long[] ok = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
    System.out.printf(Locale.ROOT,
            "%s requests=%d concurrency=%d chunk=%d errors=%d time=%.2fs conn/s=%.0f MB/s=%.1f p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms%s%s%n",
            args[1], requests, concurrency, chunk, errors.get(), seconds, requests / seconds, bytes.get() / seconds / 1e6,
            percentile(ok, 0.50), percentile(ok, 0.90), percentile(ok, 0.99), percentile(ok, 1.0),
            crowdCount > 0 ? " crowd=" + crowdCount + " crowd-open-after=" + crowdStillOpen : "",
            firstError.get() == null ? "" : " first-error=" + firstError.get());
}

static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
        return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
}

static void awaitWave(CountDownLatch connected) {
    connected.countDown();
    try {
        connected.await(10, java.util.concurrent.TimeUnit.SECONDS); // a connection that failed never counts down
    } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
    }
}

static long chunkRequest(InetSocketAddress server, String name, byte[] content, boolean size, int offset, int length,
                         Runnable onConnect) throws IOException {
    byte[] text = name.getBytes(StandardCharsets.UTF_8);
    ByteBuffer request = ByteBuffer.allocate(24 + text.length).order(ByteOrder.LITTLE_ENDIAN);
    request.putLong(size ? 0 : offset).putLong(size ? 0 : length).putInt(size ? 0 : 1).putInt(text.length).put(text);
    try (Socket socket = new Socket()) {
        socket.connect(server, 10_000);
        socket.setSoTimeout(30_000);
        onConnect.run();
        socket.getOutputStream().write(request.array());
        InputStream in = socket.getInputStream();
        ByteBuffer header = ByteBuffer.wrap(in.readNBytes(24)).order(ByteOrder.LITTLE_ENDIAN);
        check(header.remaining() == 24, "short header");
        long start = header.getLong();
        long count = header.getLong();
        int type = header.getInt();
        int textLength = header.getInt();
        check(textLength == 0, "reply text " + textLength + " (type " + type + ")");
        if (size) {
            check(type == 0 && count == content.length, "size reply type " + type + " size " + count);
            return 0;
        }
        check(type == 1 && start == offset && count == length, "chunk reply type " + type + " [" + start + "+" + count + "]");
        byte[] data = in.readNBytes(length);
        check(Arrays.equals(data, 0, data.length, content, offset, offset + length), "data differs");
        return data.length;
    }
}

static long httpRequest(InetSocketAddress server, String name, byte[] content, boolean size, int offset, int length,
                        Runnable onConnect) throws IOException {
    String request = (size ? "HEAD /" + name + " HTTP/1.1\r\n" : "GET /" + name + " HTTP/1.1\r\nRange: bytes=" + offset + "-"
            + (offset + length - 1) + "\r\n") + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n";
    try (Socket socket = new Socket()) {
        socket.connect(server, 10_000);
        socket.setSoTimeout(30_000);
        onConnect.run();
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        long contentLength = -1;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                contentLength = Long.parseLong(line.substring(15).trim());
            }
        }
        if (size) {
            check(head.startsWith("HTTP/1.1 200") && contentLength == content.length, "HEAD: " + head.lines().findFirst().orElse(""));
            return 0;
        }
        check(head.startsWith("HTTP/1.1 206") && contentLength == length, "GET: " + head.lines().findFirst().orElse(""));
        byte[] data = in.readNBytes(length);
        check(Arrays.equals(data, 0, data.length, content, offset, offset + length), "data differs");
        return data.length;
    }
}

static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
        int b = in.read();
        check(b >= 0, "no HTTP header");
        head.write(b);
        matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
}

static void check(boolean condition, String what) throws IOException {
    if (!condition) {
        throw new IOException(what);
    }
}

void hold(String[] args) throws Exception {
    InetSocketAddress server = target(args[1]);
    int count = Integer.parseInt(args[2]);
    byte[] base = InetAddress.getByName(option(args, "--from-base", "127.0.0.2")).getAddress();
    int perAddress = Integer.parseInt(option(args, "--per-address", "250"));
    int seconds = Integer.parseInt(option(args, "--seconds", "3"));
    List<Socket> held = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
        byte[] from = base.clone();
        from[3] = (byte) ((from[3] & 0xff) + i / perAddress);
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByAddress(from), 0));
        socket.connect(server, 10_000);
        held.add(socket);
    }
    System.out.printf(Locale.ROOT, "hold: %d connections opened in %.2fs%n", count, (System.nanoTime() - start) / 1e9);
    System.out.flush();
    Thread.sleep(seconds * 1000L); // the script reads the server's memory meanwhile
    int open = 0;
    for (Socket socket : held) {
        socket.setSoTimeout(1);
        try {
            socket.getInputStream().read();
        } catch (java.net.SocketTimeoutException stillOpen) {
            open++;
        } catch (IOException closed) {
            // closed by the server
        }
    }
    System.out.printf(Locale.ROOT, "hold: %d of %d still open after %d s%n", open, count, seconds);
    for (Socket socket : held) {
        socket.close();
    }
}

void stall(String[] args) throws Exception {
    InetSocketAddress server = target(args[1]);
    byte[] text = args[2].getBytes(StandardCharsets.UTF_8);
    int count = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    List<Socket> stalled = new ArrayList<>();
    for (int i = 0; i < count; i++) {
        Socket socket = new Socket();
        socket.connect(server, 10_000);
        ByteBuffer request = ByteBuffer.allocate(24 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        request.putLong(0).putLong(Long.MAX_VALUE / 2).putInt(1).putInt(text.length).put(text);
        socket.getOutputStream().write(request.array());
        stalled.add(socket);
    }
    Thread.sleep(seconds * 1000L);
    for (Socket socket : stalled) {
        socket.close();
    }
}
