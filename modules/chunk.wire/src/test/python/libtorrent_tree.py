#!/usr/bin/env python3
"""BEP 52 digest trees as libtorrent computes them: the reference chunk's tree is tested against.

Each file is hashed by libtorrent itself (create_torrent with v2_only, set_piece_hashes), once
per piece length; the pieces root and the piece layer are read from the torrent it generates.

  libtorrent_tree.py vectors > ../resources/tree-vectors/bep52.txt
      the vectors committed for CI: the files named in VECTOR_FILES, made of content(size) bytes
  libtorrent_tree.py files <piece length>... -- <file>...
      one line per file and piece length, for the Java test that runs where libtorrent is installed:
      'root <file> <hex>' once per file, then 'layer <file> <piece length> <hex of the layer, or ->'

A file of at most one piece gets no piece layer from libtorrent ('-'): its one piece is its root.
Needs the Debian package python3-libtorrent (for /usr/bin/python3); exits 3 without it.
"""
import hashlib
import os
import struct
import sys
import tempfile

try:
    import libtorrent as lt
except ImportError:
    print("libtorrent_tree.py: no libtorrent module for this python (Debian: apt-get install python3-libtorrent)",
          file=sys.stderr)
    sys.exit(3)

KIB = 1024
MIB = 1024 * KIB
# Sizes around the block (16 KiB) and a few MiB, as issue 21 asks; 4 MiB is a full power of two of blocks.
VECTOR_SIZES = [1, 16 * KIB - 1, 16 * KIB, 16 * KIB + 1, MIB + 7, 3 * MIB + 12345, 4 * MIB, 5 * MIB + 1]
FIRST_PIECE_LENGTH = 16 * KIB


def content(size):
    """The bytes of a vector file: SHA-256('chunk tree vector ' + i as 8 little-endian bytes) for i = 0, 1, ..., cut at size."""
    out = bytearray()
    i = 0
    while len(out) < size:
        out += hashlib.sha256(b"chunk tree vector " + struct.pack("<Q", i)).digest()
        i += 1
    return bytes(out[:size])


def piece_lengths_for(size):
    """16 KiB and every power of two up to the first that holds the whole file: past it, all are one piece."""
    lengths = [FIRST_PIECE_LENGTH]
    while lengths[-1] < size:
        lengths.append(lengths[-1] * 2)
    return lengths


def tree(path, piece_length):
    """(pieces root, piece layer or None) of the file at path, by libtorrent."""
    files = lt.file_storage()
    lt.add_files(files, path)
    torrent = lt.create_torrent(files, piece_length, flags=lt.create_torrent.v2_only)
    lt.set_piece_hashes(torrent, os.path.dirname(path))
    generated = torrent.generate()
    name = os.path.basename(path).encode()
    root = generated[b"info"][b"file tree"][name][b""][b"pieces root"]
    return root, generated.get(b"piece layers", {}).get(root)


def print_tree(label, path, lengths):
    roots = set()
    for length in lengths:
        root, layer = tree(path, length)
        roots.add(root)
        print(f"layer {label} {length} {layer.hex() if layer is not None else '-'}")
    if len(roots) != 1:
        sys.exit(f"libtorrent gave {path} different roots at different piece lengths: {roots}")
    print(f"root {label} {roots.pop().hex()}")


def vectors():
    print(f"## BEP 52 digest trees computed by libtorrent {lt.__version__}, made by")
    print("## modules/chunk.wire/src/test/python/libtorrent_tree.py vectors (see its docstring for the file contents).")
    print("## 'file <size>' starts a file; 'layer <file size> <piece length> <hex>' is its piece layer ('-': one piece,")
    print("## which libtorrent writes no layer for: the piece is the root); 'root <file size> <hex>' its pieces root.")
    with tempfile.TemporaryDirectory() as folder:
        for size in VECTOR_SIZES:
            path = os.path.join(folder, f"vector-{size}.bin")
            with open(path, "wb") as f:
                f.write(content(size))
            print(f"file {size}")
            print_tree(str(size), path, piece_lengths_for(size))


def files(args):
    split = args.index("--")
    lengths = [int(a) for a in args[:split]]
    for path in args[split + 1:]:
        print_tree(path, os.path.abspath(path), lengths)


if __name__ == "__main__":
    if sys.argv[1:2] == ["vectors"]:
        vectors()
    elif sys.argv[1:2] == ["files"] and "--" in sys.argv:
        files(sys.argv[2:])
    else:
        sys.exit(__doc__)
