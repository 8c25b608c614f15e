/**
 * {@code myserver}: serves the regular files under one folder over the chunk protocol of
 * {@code chunk.wire}, each connection on its own virtual thread: one request on it, or request
 * after request once the client asks to keep it open (KEEP-OPEN).
 *
 * <p>Run it as {@code myserver <port> [options]}; {@code myserver --help} lists the options,
 * their defaults (taken from {@link chunk.server.ServerConfig}'s {@code DEFAULT_*} constants)
 * and the exit codes, as does its man page, myserver(1).
 *
 * <p>Programs embed the server through {@link chunk.server.FileServer} and
 * {@link chunk.server.ServerConfig}.
 */
module chunk.server {
    requires chunk.wire;
    requires static transitive org.jspecify; // @Nullable stands in ServerConfig, the API

    exports chunk.server;
}
