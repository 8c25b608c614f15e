module chunk.server {
    requires chunk.wire;
    requires static org.jspecify;

}
