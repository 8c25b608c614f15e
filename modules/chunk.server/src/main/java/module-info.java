/**
 * {@code myserver}: serves the regular files under one folder over the chunk protocol of
 * {@code chunk.wire}, one request per connection, each connection on its own virtual thread.
 *
 * <p>Run it as {@code myserver <port> [options]}. Options and their defaults:
 * {@code --root <dir>} (the current directory), {@code --bind <address>} (all interfaces),
 * {@code --backlog <n>} (20), {@code --max-clients <n>} (256 connections served at once),
 * {@code --idle-timeout <seconds>} (30), {@code --rate-limit <bytes/s>} (none; suffixes
 * k, M, G are powers of 1024), {@code --quiet}, {@code --verbose}, {@code --help},
 * {@code --version}. Exit codes: 0 stopped by SIGINT/SIGTERM, 2 usage error, 3 cannot
 * listen, 1 any other fatal error.
 *
 * <p>Programs embed the server through {@link chunk.server.FileServer} and
 * {@link chunk.server.ServerConfig}.
 */
module chunk.server {
    requires chunk.wire;
    requires static transitive org.jspecify; // @Nullable stands in ServerConfig, the API

    exports chunk.server;
}
