#!/usr/bin/env bash
# Builds chunk's runtime image: java.base plus chunk's modules, with the launchers
# bin/myserver and bin/myclient. Maven (jlink/pom.xml) calls it with the JDK running the
# build, the folder of module jars, and the image folder to (re)create.
set -euo pipefail
java_home=$1 modules=$2 image=$3

rm -rf "$image" # jlink will not write into an existing folder

# Apache HttpClient 5 (the client's HTTP mirrors) ships automatic modules, jars without a
# module-info, and jlink takes only explicit modules. Each such jar gets the descriptor jdeps
# derives from its classes, compiled and added to a copy of the jar made for jlink alone (the
# module folder keeps the jars as Maven gave them, so that every build starts from them). One of its requirements is made optional ("requires static"), so that jlink leaves it
# out: java.security.jgss, which only its Kerberos/SPNEGO authentication uses, and myclient
# authenticates nowhere. (HTTP/2, httpcore5-h2, stays: the classic client's TLS settings name
# its HttpVersionPolicy, and a download over HTTP failed without it.)
describe_automatic_modules() {
  local automatic=() jar work name src
  for jar in "$modules"/*.jar; do
    if "$java_home/bin/jar" --describe-module --file "$jar" | grep -q '^No module descriptor found'; then
      automatic+=("$jar")
    fi
  done
  [ ${#automatic[@]} -gt 0 ] || return 0
  work=$(mktemp -d)
  "$java_home/bin/jdeps" --ignore-missing-deps --multi-release "$("$java_home/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/.*java.specification.version = //p')" --module-path "$modules" --generate-module-info "$work/src" \
      "${automatic[@]}" >"$work/jdeps.log" 2>&1 || { cat "$work/jdeps.log" >&2; rm -rf "$work"; exit 1; }
  for original in "${automatic[@]}"; do
    jar=$jlink_modules/${original##*/}
    name=$("$java_home/bin/jar" --describe-module --file "$jar" | sed -n '3{s/[@ ].*//;p;}')
    src=$(find "$work/src/$name" -name module-info.java)
    sed -i -E 's/requires transitive (java\.security\.jgss);/requires static \1;/' "$src"
    "$java_home/bin/javac" -nowarn --module-path "$modules" --patch-module "$name=$jar" -d "$work/classes/$name" "$src" \
      || { rm -rf "$work"; exit 1; }
    "$java_home/bin/jar" --update --file "$jar" -C "$work/classes/$name" module-info.class
  done
  rm -rf "$work"
}
jlink_modules=$(mktemp -d)
trap 'rm -rf "$jlink_modules"' EXIT
cp "$modules"/*.jar "$jlink_modules"/
describe_automatic_modules
# --add-options bakes --enable-preview into the image, so every launcher (and the image's
# own bin/java) runs StructuredTaskScope without the user knowing it is a preview API.
# What keeps the image small (docs/BENCHMARKS.md, "The size of the image"; 98 MiB before):
# - --compress=zip-6: lib/modules 26 MB -> 12 MB. It costs only classes read from lib/modules:
#   myclient reads almost none (its AOT cache holds them), myserver's start-up pays ~20 ms.
# - no CDS archive (jlink's --generate-cds-archive made two, 28 MB; classes_nocoops.jsa serves
#   only heaps over 32 GiB). myclient does not use one (its AOT cache replaces it); myserver,
#   and bin/java itself, start ~50 ms later without it: a server's start-up, not a download's.
# - native symbol tables stripped (below): libjvm.so 30 MB -> 25 MB.
"$java_home/bin/jlink" \
  --module-path "$jlink_modules" \
  --add-modules chunk.server,chunk.client \
  --launcher myserver=chunk.server \
  --launcher myclient=chunk.client \
  --add-options=--enable-preview \
  --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 \
  --output "$image" >"$image.log" 2>&1 || { cat "$image.log" >&2; exit 1; }

# What a runtime of chunk never uses: keytool, lib/jexec (runs jars through binfmt_misc),
# lib/jrt-fs.jar (lets an older JDK's tools read this image) and lib/classlist (only for making
# a CDS archive).
rm -f "$image/bin/keytool" "$image/lib/jexec" "$image/lib/jrt-fs.jar" "$image/lib/classlist"

# jlink's --strip-debug keeps the symbol tables (objcopy --strip-debug); strip --strip-unneeded,
# as Debian's dh_strip does, drops them too: a crash log then names fewer native functions.
# Done before the AOT training run below, on the files that run. Without binutils the image
# is only larger, so the build goes on and says so.
if command -v strip >/dev/null 2>&1; then
  find "$image" -type f \( -name '*.so' -o -path "$image/bin/java" -o -name jspawnhelper \) \
    -exec strip --strip-unneeded --remove-section=.comment --remove-section=.note {} +
else
  echo "chunk image: strip not found (Debian package binutils): native symbols kept, about 5 MB more" >&2
fi

# jlink's own launchers neither exec nor quote, so a signal would stop the shell and not
# the JVM, and a path with a space would break them. Ours do both, and follow symlinks.
# $3 is more JVM options, as launcher text (so it may refer to $bin). The folder is found with
# the shell's own string operations, and readlink runs only for a symlink: two programs started
# for every run cost 1.7 ms, which is 3 % of the smallest download (docs/BENCHMARKS.md, scenario 3).
write_launcher() {
  cat >"$image/bin/$1" <<LAUNCHER
#!/bin/sh
# $1: runs the module $2 on the Java runtime in this image. JAVA_OPTS adds JVM options.
self=\$0
if [ -L "\$self" ]; then self=\$(readlink -f "\$self"); fi
case \$self in */*) bin=\${self%/*} ;; *) bin=. ;; esac
exec "\$bin/java" $3\${JAVA_OPTS-} -m $2 "\$@"
LAUNCHER
  chmod 755 "$image/bin/$1"
}
write_launcher myserver chunk.server ""
# Native access lets myclient end the process without HotSpot's exit wait (ProcessExit).
# The JIT stays the default tiered one (C1, then C2 for hot code), because the client hashes
# every byte it downloads, and HotSpot's fast SHA-256 (the CPU's SHA instructions) comes only
# with C2: JDK 25 hashed 1 GiB in 0.49-0.58 s tiered and 5.4-5.5 s with C1 alone
# (-XX:TieredStopAtLevel=1, which this launcher had while the client did no hashing;
# bench/ShaSpeed.java). What C2 costs a client that does not hash, measured on this image:
# user CPU 0.16 to 0.22 s for 1 GiB in 4 chunks, 0.25-0.28 to 0.34-0.38 s in 1000 chunks,
# 0.06-0.07 to 0.08 s for 1 KiB (docs/BENCHMARKS.md, "The JIT compiler of the launcher").
# CompileThresholdScaling=10 makes a method wait ten times as long for the JIT: a short run
# interprets what it runs a few hundred times instead of compiling it, and a long one compiles
# only what is really hot. SHA-256 is the exception, given a tenth of the default thresholds:
# it is fast only once C2 has compiled it (the CPU's SHA instructions), and at ten times the
# thresholds a verified download hashed its first 200 MB or so at C1's speed. Measured on 4 local
# servers (docs/BENCHMARKS.md, "The JIT thresholds of the launcher"), medians of 8 runs, wall
# and CPU: 1 KiB 0.09 s, 0.095 s by default, 0.06-0.07 s, 0.07 s with these options; 32 MiB
# 0.27 s, 0.24 s and 0.245 s, 0.25 s; 256 MiB 0.68 s, 0.605 s and 0.67 s, 0.595 s (without
# the SHA exception 0.29 s and 0.69 s). TLS is the other exception, for the same reason: AES-GCM
# and GHASH run at the CPU's AES and carry-less multiply instructions only in C2's code, and an
# HTTPS download of 1 GiB from four nginx mirrors took 3.6-3.75 s (5.9-6.2 s of CPU) at ten times
# the thresholds, 2.1-2.4 s (3.0-3.4 s) with JSSE's and the AES provider's methods at a tenth
# (docs/BENCHMARKS.md, "HTTPS: the JIT thresholds of TLS"); a download without TLS runs none of
# them. CompileCommand=quiet keeps the JVM from announcing the commands on standard output,
# which `-o -` uses for the file.
# (Quoted in the launcher: unquoted, the patterns' asterisks would be expanded as file names.)
compile_early() { printf "'-XX:CompileCommand=CompileThresholdScaling,%s::*,0.1' " "$@"; }
hot_first="-XX:CompileCommand=quiet $(compile_early 'sun.security.provider.*' 'java.security.MessageDigestSpi' \
  'com.sun.crypto.provider.*' 'sun.security.ssl.*')"
client_options="--enable-native-access=chunk.client -XX:CompileThresholdScaling=10 $hot_first"
write_launcher myclient chunk.client "$client_options"

# An ahead-of-time cache for myclient (JEP 483, 514, 515): classes loaded and linked, method
# profiles, from a training run that downloads a file from a myserver on loopback. It makes
# a short myclient run about a third faster (docs/BENCHMARKS.md, scenario 3). The JVM uses
# the cache only with the options it was made with, so the training run goes through the
# launcher; -Dchunk.client.exit=system lets that JVM exit the slow way, which writes the cache.
# -Xlog:aot*=off keeps the JVM quiet if JAVA_OPTS make the cache unusable (it then runs without).
train=$(mktemp -d)
server_pid=
stop_training() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$train"
  rm -rf "$jlink_modules"
}
trap stop_training EXIT
fail_training() { echo "AOT training run failed: $1 (log: $image.log)" >&2; exit 1; }
head -c 3000000 /dev/urandom >"$train/sample.bin" # a few MB: enough for the copy loop to be profiled
"$image/bin/myserver" 0 --bind 127.0.0.1 --root "$train" --quiet --digest-cache none >"$train/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  grep -q 'listening on' "$train/server.out" && break
  kill -0 "$server_pid" 2>/dev/null || fail_training "myserver did not start: $(cat "$train/server.out")"
  sleep 0.1
done
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$train/server.out")
[ -n "$port" ] || fail_training "myserver did not say where it listens"
echo "127.0.0.1 $port" >"$train/servers.txt"
(cd "$train" && echo sample.bin | JAVA_OPTS="-XX:AOTCacheOutput=$image/lib/myclient.aot -Dchunk.client.exit=system" \
  "$image/bin/myclient" servers.txt 4 -o copy.bin --quiet --no-fsync) >>"$image.log" 2>&1 || fail_training "myclient failed"
cmp -s "$train/sample.bin" "$train/copy.bin" || fail_training "the copy differs from the original"
[ -s "$image/lib/myclient.aot" ] || fail_training "no cache written"
write_launcher myclient chunk.client "$client_options-XX:AOTCache=\"\$bin/../lib/myclient.aot\" -Xlog:aot*=off "

echo "chunk image: $image ($(du -sh "$image" | cut -f1))"
