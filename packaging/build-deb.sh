#!/usr/bin/env bash
# Builds chunk_<version>_<arch>.deb from the runtime image, with dpkg-deb alone (no
# debhelper: a fresh Debian has dpkg-deb, and the image is already built). Maven
# (packaging/pom.xml) calls it with the image, the folder to write into and the project's
# version; `./mvnw -B verify` runs it, and its tests (packaging/src/test) check the result.
#
# Layout: the image in /usr/lib/chunk, /usr/bin/myclient and /usr/bin/myserver as relative
# links into it, man pages and bash and zsh completions made by the programs' own manuals
# (so they match the image's programs), the unit myserver@.service, and /usr/share/doc/chunk.
set -euo pipefail
image=$1 out=$2 maven_version=$3
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")

say() { echo "chunk package: $*"; }
# Not Debian: the rest of the build goes on; the package tests say why they are skipped.
command -v dpkg-deb >/dev/null || { say "dpkg-deb not found (Debian package dpkg): no package built"; exit 0; }

# 1.0.0-SNAPSHOT sorts after 1.0.0 in Debian's order; 1.0.0~SNAPSHOT before it, as it should.
version=${maven_version//-/\~}
arch=$(dpkg --print-architecture)
# The date of the last commit, so that building the same sources again makes the same files.
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}
day=$(date -u -d "@$epoch" +%F)

root=$out/root
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/lib" "$root/usr/share/doc/chunk" "$root/lib/systemd/system" \
  "$root/etc/chunk"

cp -a "$image" "$root/usr/lib/chunk"
# The runtime's notices are documentation: in /usr/share/doc, with a link where the image has them.
mv "$root/usr/lib/chunk/legal" "$root/usr/share/doc/chunk/legal"
ln -s ../../share/doc/chunk/legal "$root/usr/lib/chunk/legal"
# A note on the JDK's policy files, which nothing reads.
rm -f "$root/usr/lib/chunk/conf/security/policy/README.txt"
ln -s ../lib/chunk/bin/myclient "$root/usr/bin/myclient"
ln -s ../lib/chunk/bin/myserver "$root/usr/bin/myserver"

# Each program writes its own man page and completions (chunk.wire.cli.ManualFiles), run by
# the image's java, so what is installed describes the programs installed.
for manual in chunk.server/chunk.server.internal.ServerManual chunk.client/chunk.client.cli.ClientManual; do
  "$image/bin/java" -m "$manual" "$root/usr/share" "$day"
done
# Man pages compressed as Debian's tools do: no name or time stamp in the gzip header.
find "$root/usr/share/man" -name '*.1' -exec gzip -9n {} +

install -m 644 "$here/debian/myserver@.service" "$root/lib/systemd/system/"
install -m 644 "$here/debian/copyright" "$root/usr/share/doc/chunk/copyright"
sed -e "s/@VERSION@/$version/" -e "s/@DATE_RFC2822@/$(LC_ALL=C date -u -R -d "@$epoch")/" "$here/debian/changelog" \
  | gzip -9n >"$root/usr/share/doc/chunk/changelog.gz"
install -m 644 "$repo/docs/PROTOCOL.md" "$root/usr/share/doc/chunk/PROTOCOL.md"
install -D -m 644 "$here/debian/lintian-overrides" "$root/usr/share/lintian/overrides/chunk"

# Every directory 755, every file 644 or (if executable) 755, whatever the umask of the build.
find "$root" -type d -exec chmod 755 {} +
find "$root" -type f -perm /111 -exec chmod 755 {} +
find "$root" -type f ! -perm /111 -exec chmod 644 {} +
find "$root" -exec touch -h -d "@$epoch" {} +

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
# The image's native code needs only the C library (libc.so.6, libm, libdl, libpthread, librt),
# symbols up to GLIBC_2.17; the package tests check both against the image.
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" -e "s/@DEPENDS@/libc6 (>= 2.17)/" \
  "$here/debian/control" >"$root/DEBIAN/control"
(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

deb=$out/chunk_${version}_$arch.deb
rm -f "$out"/chunk_*.deb
# gzip: 25 MB in 2-3 s on the build machine; xz saves 4 MB for 20-40 s of every build's time.
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
say "$deb ($(du -h "$deb" | cut -f1); installed $((size / 1024)) MiB)"
