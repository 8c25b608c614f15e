#!/usr/bin/env bash
# Builds chunk's runtime image: java.base plus chunk's modules, with the launchers
# bin/myserver and bin/myclient. Maven (jlink/pom.xml) calls it with the JDK running the
# build, the folder of module jars, and the image folder to (re)create.
set -euo pipefail
java_home=$1 modules=$2 image=$3

rm -rf "$image" # jlink will not write into an existing folder
# --add-options bakes --enable-preview into the image, so every launcher (and the image's
# own bin/java) runs StructuredTaskScope without the user knowing it is a preview API.
"$java_home/bin/jlink" \
  --module-path "$modules" \
  --add-modules chunk.server,chunk.client \
  --launcher myserver=chunk.server \
  --launcher myclient=chunk.client \
  --add-options=--enable-preview \
  --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive \
  --output "$image" >"$image.log" 2>&1 || { cat "$image.log" >&2; exit 1; }
# (The log holds the CDS step's harmless warnings about java.logging, which is left out.)

# jlink's own launchers neither exec nor quote, so a signal would stop the shell and not
# the JVM, and a path with a space would break them. Ours do both, and follow symlinks.
write_launcher() {
  cat >"$image/bin/$1" <<LAUNCHER
#!/bin/sh
# $1: runs the module $2 on the Java runtime in this image. JAVA_OPTS adds JVM options.
bin=\$(dirname "\$(readlink -f "\$0")")
exec "\$bin/java" \${JAVA_OPTS-} -m $2 "\$@"
LAUNCHER
  chmod 755 "$image/bin/$1"
}
write_launcher myserver chunk.server
write_launcher myclient chunk.client

echo "chunk image: $image ($(du -sh "$image" | cut -f1))"
