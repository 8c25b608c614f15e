package chunk.server;

import static chunk.server.TestClient.concat;
import static chunk.server.TestClient.header;
import static org.assertj.core.api.Assertions.assertThat;

import chunk.wire.ByteRange;
import chunk.wire.Frame;
import chunk.wire.FrameDecoder;
import chunk.wire.MalformedFrameException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded fuzz of the server over real sockets: random bytes, bit flips of valid requests,
 * huge lengths, path traversal, NUL and invalid UTF-8, cut-off requests, mixed with valid
 * requests whose answers are checked byte for byte, a quarter of them as the second request of
 * a kept-open connection. Nothing outside the root may ever be
 * sent, and the server must still answer at the end. A few thousand inputs by default; the
 * long run ({@code bench/fuzz-server}) sets {@code -Dchunk.fuzz.inputs=100000}.
 */
class ServerFuzzTests {

    static final int INPUTS = Integer.getInteger("chunk.fuzz.inputs", 3000);
    static final long SEED = Long.getLong("chunk.fuzz.seed", 2026_12_01L);
    static final int CONCURRENT = 32;
    /** In every file the server must never send; a reply holding it is a leak. */
    static final byte[] SECRET = "SECRET-7f3a9c-NEVER-SERVED".getBytes(StandardCharsets.US_ASCII);

    static final List<String> NAMES = List.of("hello.txt", "data.bin", "sub/inner.txt", "missing.txt",
            "../outside/private.txt", "sub/../../outside/private.txt", "/etc/passwd", ".secret", "sub/.hidden",
            "escape.txt", "escape-dir/private.txt", "sub", ".", "..", "sub//../hello.txt", "%2e%2e/outside/private.txt",
            "..\\outside\\private.txt", "hello.txt\0../../outside/private.txt", "sub/\0", "héllo.txt", "");

    @TempDir
    Path tmp;
    final Map<String, byte[]> served = new TreeMap<>();
    final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();

    @Test
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void thousandsOfHostileInputsLeakNothingAndValidRequestsAmongThemAreAnsweredRight() throws Exception {
        Path root = createFiles();
        ServerConfig config = ServerConfig.builder(root).bindAddress(InetAddress.getByName("127.0.0.1"))
                .headerTimeout(Duration.ofSeconds(2)).build();
        long start = System.nanoTime();
        AtomicLong checked = new AtomicLong();
        try (FileServer server = FileServer.start(config, log::add);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            InetSocketAddress address = server.address();
            Random random = new Random(SEED);
            Semaphore inFlight = new Semaphore(CONCURRENT);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < INPUTS; i++) {
                Input input = next(random);
                boolean keptOpen = random.nextInt(4) == 0;
                inFlight.acquire();
                done.add(clients.submit(() -> {
                    try {
                        if (check(address, input, keptOpen)) {
                            checked.incrementAndGet();
                        }
                    } finally {
                        inFlight.release();
                    }
                    return null;
                }));
                if (done.size() >= 1000) {
                    awaitAll(done);
                }
            }
            awaitAll(done);
            TestClient.Answer after = TestClient.chunk(address, "hello.txt", 7, 7);
            assertThat(after.data()).asString(StandardCharsets.US_ASCII).isEqualTo("chunked");
        }
        Map<String, Long> outcomes = outcomes();
        System.out.printf("fuzz-server: %d inputs (seed %d) in %.1f s, %d valid requests checked byte for byte, outcomes %s%n",
                INPUTS, SEED, (System.nanoTime() - start) / 1e9, checked.get(), outcomes);
        // Proof that the inputs reach every refusal, not only the first check.
        assertThat(outcomes).containsKeys("ok", "no-such-file", "bad-range", "bad-request", "name-too-long",
                "unknown-type", "no-request");
    }

    /** One input, and the answer it must get if it is a valid request ({@code null}: anything but a leak). */
    record Input(byte[] bytes, String expected) {}

    Path createFiles() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        byte[] data = new byte[4096];
        new Random(SEED).nextBytes(data);
        served.put("hello.txt", "hello, chunked world!\n".getBytes(StandardCharsets.US_ASCII));
        served.put("data.bin", data);
        served.put("sub/inner.txt", "inner".getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, byte[]> file : served.entrySet()) {
            Files.createDirectories(root.resolve(file.getKey()).getParent());
            Files.write(root.resolve(file.getKey()), file.getValue());
        }
        Files.write(root.resolve(".secret"), SECRET);
        Files.createDirectories(root.resolve("sub/.hidden"));
        Files.write(root.resolve("sub/.hidden/x"), SECRET);
        Files.write(outside.resolve("private.txt"), SECRET);
        Files.createSymbolicLink(root.resolve("escape.txt"), outside.resolve("private.txt"));
        Files.createSymbolicLink(root.resolve("escape-dir"), outside);
        return root;
    }

    Input next(Random random) {
        String name = NAMES.get(random.nextInt(NAMES.size()));
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        return switch (random.nextInt(8)) {
            case 0 -> new Input(randomBytes(random, random.nextInt(100)), null);
            case 1, 2 -> validInput(random);
            case 3 -> {
                byte[] bytes = validInput(random).bytes().clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    int bit = random.nextInt(bytes.length * 8);
                    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                yield new Input(bytes, null);
            }
            case 4 -> new Input(concat(header(random.nextLong(), random.nextLong(), random.nextInt(5) - 1,
                    random.nextBoolean() ? random.nextInt() : 4000 + random.nextInt(200)), randomBytes(random, random.nextInt(64))), null);
            case 5 -> {
                byte[] text = nameBytes.clone();
                if (text.length > 0 && random.nextBoolean()) {
                    text[random.nextInt(text.length)] = (byte) (random.nextBoolean() ? 0 : 0xC0 | random.nextInt(64));
                }
                yield new Input(concat(header(random.nextInt(64) - 8, random.nextInt(64) - 8, random.nextInt(2), text.length), text), null);
            }
            case 6 -> {
                byte[] bytes = validInput(random).bytes();
                yield new Input(Arrays.copyOf(bytes, random.nextInt(bytes.length)), null);
            }
            default -> new Input(concat(header(random.nextInt(5000), random.nextInt(5000), random.nextInt(2), nameBytes.length),
                    nameBytes), null);
        };
    }

    /** A SIZE or CHUNK request for a served file, with the reply and data it must get, as {@link #decode} shows them. */
    Input validInput(Random random) {
        List<String> names = new ArrayList<>(served.keySet());
        String name = names.get(random.nextInt(names.size()));
        byte[] file = served.get(name);
        if (random.nextInt(3) == 0) {
            return new Input(TestClient.bytes(new Frame.SizeRequest(name)), new Frame.SizeReply(file.length) + " []");
        }
        ByteRange asked = new ByteRange(random.nextInt(file.length + 10), random.nextInt(file.length + 10));
        ByteRange sent = asked.clampTo(file.length);
        byte[] data = sent.length() == 0 ? new byte[0] : Arrays.copyOfRange(file, (int) sent.offset(), (int) sent.end());
        return new Input(TestClient.bytes(new Frame.ChunkRequest(name, asked)), new Frame.ChunkReply(sent) + " " + Arrays.toString(data));
    }

    /**
     * Sends one input, after a keep-open if {@code keptOpen} (so that it is read as a later
     * request on a kept-open connection), and checks what comes back; true if it was a valid
     * request answered right.
     */
    boolean check(InetSocketAddress address, Input input, boolean keptOpen) throws IOException {
        byte[] response;
        try (Socket socket = TestClient.connect(address)) {
            if (keptOpen) {
                socket.getOutputStream().write(TestClient.bytes(new Frame.KeepOpenRequest(1)));
                Frame.KeepOpenAnswer agreed = FrameDecoder.readKeepOpenAnswer(Channels.newChannel(socket.getInputStream()));
                assertThat(agreed).isInstanceOf(Frame.KeepOpenReply.class);
            }
            socket.getOutputStream().write(input.bytes());
            socket.shutdownOutput();
            response = socket.getInputStream().readAllBytes();
        } catch (SocketException reset) {
            assertThat(input.expected()).as("a valid request was reset").isNull();
            return false; // an acceptable end for garbage
        }
        assertThat(indexOf(response, SECRET)).as("a reply leaked a file from outside the served files").isNegative();
        if (input.expected() == null) {
            return false;
        }
        assertThat(decode(response)).isEqualTo(input.expected());
        return true;
    }

    /** The reply frame and its data, as text, so that a mismatch prints readably. */
    static String decode(byte[] response) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(response);
        try {
            Frame.Reply reply = FrameDecoder.readReply(Channels.newChannel(in));
            return reply + " " + Arrays.toString(in.readAllBytes());
        } catch (MalformedFrameException e) {
            return "malformed: " + e.getMessage();
        }
    }

    Map<String, Long> outcomes() {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : log) {
            String[] fields = line.split(" ");
            // The name may be quoted with spaces: the outcome is the fourth field from the end.
            counts.merge(fields[fields.length - 5], 1L, Long::sum);
        }
        return counts;
    }

    static void awaitAll(List<Future<?>> futures) throws Exception {
        for (Future<?> future : futures) {
            future.get();
        }
        futures.clear();
    }

    static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
