module chunk.client {
    requires chunk.wire;
    requires static org.jspecify;

}
