/**
 * {@code myserver}: serves the regular files under one folder over the chunk protocol of
 * {@code chunk.wire}, one request per connection, each connection on its own virtual thread.
 *
 * <p>Run it as {@code myserver <port> [options]}. Options and their defaults:
 * {@code --root <dir>} (the current directory), {@code --bind <address>} (all interfaces),
 * {@code --backlog <n>} (the system's largest, at least 1024), {@code --max-clients <n>}
 * (256 transfers at once), {@code --max-connections <n>} (10,000 open at once, lowered to
 * fit the open file limit), {@code --max-waiting-per-address <n>} (256 waiting for their
 * request), {@code --header-timeout <seconds>} (5), {@code --idle-timeout <seconds>} (30),
 * {@code --rate-limit <bytes/s>} and {@code --total-rate-limit <bytes/s>} (none; suffixes
 * k, M, G are powers of 1024), {@code --quiet}, {@code --verbose}, {@code --help},
 * {@code --version}. Exit codes: 0 stopped by SIGINT/SIGTERM, 2 usage error, 3 cannot
 * listen, 1 any other fatal error.
 *
 * <p>Programs embed the server through {@link chunk.server.FileServer} and
 * {@link chunk.server.ServerConfig}.
 */
module chunk.server {
    requires chunk.wire;
    requires static org.jspecify;

    exports chunk.server;
}
