# Sourced by the bench scripts: installs from Debian the tools named (command=package) that are missing, builds the
# app and the development certificate if needed, and sets $java (JAVA_HOME's, else the one on PATH) and ${jvm[@]}
# (the Deployment's JVM flags, bench/jvm.options); defines test_classpath (bench/scan-heap.sh, bench/scan-rss.sh).
#   . bench/prepare.sh h2load=nghttp2-client haproxy=haproxy
for tool in "$@"; do
  command -v "${tool%%=*}" >/dev/null || { apt-get update -qq && apt-get install -y -qq "${tool#*=}" >/dev/null; }
done
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
[ -f certs/dev/tls.crt ] || certs/generate.sh >/dev/null
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
mapfile -t jvm < <(grep -v -e '^#' -e '^$' bench/jvm.options)
# The test classes (ScanHeap, the mock API server's cluster) and their dependencies, as a class path; compiled and
# resolved if missing.
test_classpath() {
  [ -f target/test-classes/dev/haguard/bench/ScanHeap.class ] || ./mvnw -B -q test-compile >&2
  [ -f target/bench/classpath.txt ] || { mkdir -p target/bench && ./mvnw -B -q dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt >&2; }
  echo "target/test-classes:target/classes:$(cat target/bench/classpath.txt)"
}
