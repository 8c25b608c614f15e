# Finds the JDK 25 this build needs and exports JAVA_HOME. Sourced by ./mvnw and ./demo.
#
# Why exactly 25: StructuredTaskScope is a preview API in JDK 25, and class files compiled
# with --enable-preview run only on the JDK that compiled them. Why not Maven toolchains:
# the jar and jlink steps run inside Maven's own JVM, so Maven itself must run on JDK 25.
#
# Order: JAVA_HOME if it is a JDK 25; then /usr/lib/jvm, /opt, /usr/local, sdkman, ~/.jdks,
# and macOS's folder. Set CHUNK_JDK_DEBUG=1 to see what was considered.

chunk_jdk_feature() { # prints the feature version (17, 25, ...) of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ -x "$1/bin/jlink" ] || return 0
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1
  else
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1
  fi
}

chunk_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ "$(chunk_jdk_feature "$JAVA_HOME")" = 25 ]; then
    return 0
  fi
  chunk_globbing_was_off=false
  case $- in *f*) chunk_globbing_was_off=true; set +f ;; esac # mvnw runs with 'set -f'
  chunk_found=1
  for candidate in /usr/lib/jvm/* /opt/* /opt/java/* /usr/local/* /usr/java/* \
      "${SDKMAN_CANDIDATES_DIR:-$HOME/.sdkman/candidates}"/java/* "$HOME"/.jdks/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] || continue
    feature=$(chunk_jdk_feature "$candidate")
    [ "${CHUNK_JDK_DEBUG-}" != 1 ] || echo "find-jdk: $candidate -> ${feature:-not a JDK}" >&2
    if [ "$feature" = 25 ]; then
      JAVA_HOME=$(cd "$candidate" && pwd -P)
      export JAVA_HOME
      chunk_found=0
      break
    fi
  done
  if $chunk_globbing_was_off; then set -f; fi
  [ "$chunk_found" = 1 ] || return 0
  echo "chunk needs JDK 25 (found none${JAVA_HOME:+; JAVA_HOME=$JAVA_HOME is not 25}): install one, e.g. 'apt-get install openjdk-25-jdk', or set JAVA_HOME to a JDK 25." >&2
  return 1
}
