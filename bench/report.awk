# bench/report.awk: turns bench/run's raw results into the Markdown tables of the report.
# Input: scenarios.tsv (id, title) then results.tsv (scenario, tool, kind, run, ok, wall s,
# user s, sys s, peak RSS KiB, file bytes). Run 0 is the warm-up and is not counted; a run
# with ok != 1 (bad exit code or wrong SHA-256) is not counted either.
# -v notes_file=FILE: lines (scenario, text) printed under that scenario's table (why it was
# skipped, what chunk said); -v mixed_sum=B: scenario 8's mirrors together, bytes per second.
BEGIN {
  FS = "\t"
  if (notes_file != "") while ((getline line < notes_file) > 0) {
    split(line, part, "\t"); notes[part[1]] = notes[part[1]] "\n" substr(line, length(part[1]) + 2)
  }
}

FNR == NR { title[$1] = $2; order[++scenario_count] = $1; next }

{
  key = $1 SUBSEP $2
  if (!(key in kind)) { tool_count[$1]++; tool[$1, tool_count[$1]] = $2; kind[key] = $3; bytes[key] = $10 }
  if ($4 == 0) next
  runs[key]++
  if ($5 != 1) next
  n = ++ok[key]
  wall[key, n] = $6
  cpu[key, n] = $7 + $8
  if ($9 > rss[key]) rss[key] = $9
}

# Sorts values[key, 1..n] into sorted[1..n] (n is small: insertion sort, works in any awk).
function sort_values(values, key, n,    i, j, v) {
  for (i = 1; i <= n; i++) {
    v = values[key, i]
    for (j = i - 1; j >= 1 && sorted[j] > v; j--) sorted[j + 1] = sorted[j]
    sorted[j + 1] = v
  }
}
function median(values, key, n) {
  sort_values(values, key, n)
  return n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
}
# -1 when the tool has no counted run; all_failed remembers, for the targets, that it did run
# but every run failed (which is a miss, not "not measured").
function counted(k) { if (runs[k] > 0 && !ok[k]) all_failed = 1; return ok[k] > 0 }
function wall_median(s, t) { k = s SUBSEP t; return counted(k) ? median(wall, k, ok[k]) : -1 }
function cpu_median(s, t) { k = s SUBSEP t; return counted(k) ? median(cpu, k, ok[k]) : -1 }
function rss_mib(s, t) { k = s SUBSEP t; return counted(k) ? rss[k] / 1024 : -1 }
function mbps(x) { return x >= 10 ? sprintf("%.0f", x) : sprintf("%.3f", x) }
function fmt(x, digits) { return x < 0 ? "n/a" : sprintf("%." digits "f", x) }
function ratio(a, b) { return (a < 0 || b <= 0) ? -1 : a / b }

function scenario_table(s,    i, t, k, n, med, lo, hi) {
  print "### Scenario " s ": " title[s]
  print ""
  if (s in notes) print substr(notes[s], 2) "\n"
  if (!tool_count[s]) return
  print "| Tool | Runs ok | Median wall s | Min s | Max s | MB/s | CPU s (user+sys) | Peak RSS MiB |"
  print "|---|---:|---:|---:|---:|---:|---:|---:|"
  for (i = 1; i <= tool_count[s]; i++) {
    t = tool[s, i]; k = s SUBSEP t; n = ok[k] + 0
    if (n == 0) {
      printf "| %s | 0/%d | FAILED | | | | | |\n", t, runs[k]
      continue
    }
    med = median(wall, k, n); lo = sorted[1]; hi = sorted[n]
    printf "| %s | %d/%d | %.3f | %.3f | %.3f | %s | %.2f | %.0f |\n", t, n, runs[k], med, lo, hi,
      kind[k] == "baseline" ? "" : mbps(bytes[k] / med / 1e6), cpu_median(s, t), rss[k] / 1024
  }
  print ""
}

# chunk's ratio to every other tool of the scenario: above 1 means chunk is better (faster,
# less CPU, less memory).
function ratio_table(s,    i, j, c, p, any) {
  any = 0
  for (i = 1; i <= tool_count[s]; i++) {
    c = tool[s, i]
    if (kind[s, c] != "chunk") continue
    for (j = 1; j <= tool_count[s]; j++) {
      p = tool[s, j]
      if (kind[s, p] == "chunk") continue
      if (!any) {
        print "chunk's ratios (other ÷ chunk; above 1 means chunk is better):"
        print ""
        print "| chunk | vs | Time | CPU | Peak memory |"
        print "|---|---|---:|---:|---:|"
        any = 1
      }
      printf "| %s | %s | %s | %s | %s |\n", c, p, fmt(ratio(wall_median(s, p), wall_median(s, c)), 2),
        fmt(ratio(cpu_median(s, p), cpu_median(s, c)), 2), fmt(ratio(rss_mib(s, p), rss_mib(s, c)), 2)
    }
  }
  if (any) print ""
}

# One line per target of the issue: PASS, MISS, or n/a when its scenario was not run.
function target(text, value, pass, shown) {
  if (all_failed) printf "| %s | every run failed | MISS |\n", text
  else printf "| %s | %s | %s |\n", text, value < 0 ? "n/a" : shown, value < 0 ? "not measured" : (pass ? "PASS" : "MISS")
  all_failed = 0
}
function targets(    v, a, b) {
  all_failed = 0
  print "## Targets (ratios within this run)"
  print ""
  print "| Target | Measured | Result |"
  print "|---|---:|---|"
  v = ratio(wall_median(1, "curl"), wall_median(1, "chunk 4 chunks"))
  target("S1: chunk (no fsync) at least as fast as curl", v, v >= 1, fmt(v, 2) "x")
  v = ratio(wall_median(1, "aria2c -s4, 4 mirrors"), wall_median(1, "chunk 4 chunks"))
  target("S1: chunk (no fsync) at least 2x aria2c", v, v >= 2, fmt(v, 2) "x")
  v = ratio(wall_median(1, "aria2c -s4, 4 mirrors"), wall_median(1, "chunk 4 chunks + fsync"))
  target("S1: chunk (fsync) at least 1.5x aria2c", v, v >= 1.5, fmt(v, 2) "x")
  # Issue 15: CPU per byte and speed against curl's one stream, verified (the default) and not.
  v = ratio(cpu_median(1, "chunk 4 chunks"), cpu_median(1, "curl"))
  target("S1: client CPU at most 0.8 of curl's (issue 15)", v, v >= 0 && v <= 0.8, fmt(v, 2) "x")
  v = ratio(cpu_median(1, "chunk 4 chunks, --no-verify"), cpu_median(1, "curl"))
  target("S1: client CPU at most 0.8 of curl's, --no-verify (issue 15)", v, v >= 0 && v <= 0.8, fmt(v, 2) "x")
  v = ratio(wall_median(1, "curl"), wall_median(1, "chunk 4 chunks"))
  target("S1: at least 1.25x curl (issue 15; the moonshot is 1.5x)", v, v >= 1.25, fmt(v, 2) "x")
  v = ratio(wall_median(1, "curl"), wall_median(1, "chunk 4 chunks, --no-verify"))
  target("S1: at least 1.25x curl, --no-verify (issue 15; the moonshot is 1.5x)", v, v >= 1.25, fmt(v, 2) "x")
  v = ratio(wall_median(2, "chunk 4 chunks"), wall_median(2, "chunk 256 chunks"))
  target("S2: 256 chunks at least 0.8 of the speed of 4 chunks", v, v >= 0.8, fmt(v, 2) "x")
  v = ratio(wall_median(2, "chunk 4 chunks"), wall_median(2, "chunk 1000 chunks"))
  target("S2: 1000 chunks at least 0.8 of the speed of 4 chunks", v, v >= 0.8, fmt(v, 2) "x")
  v = ratio(wall_median(2, "chunk 4 chunks"), wall_median(2, "chunk 1000 chunks"))
  target("S2: 1000 chunks at least 0.9 of the speed of 4 chunks (issue 15)", v, v >= 0.9, fmt(v, 2) "x")
  v = rss_mib(2, "chunk 1000 chunks")
  target("S2: peak memory under 256 MB at 1000 chunks", v, v * 1048576 < 256e6, fmt(v, 0) " MiB")
  v = ratio(wall_median(3, "chunk 4 chunks"), wall_median(3, "java -version (image)"))
  target("S3: 1 KiB download under 1.5x the image's java -version", v, v < 1.5, fmt(v, 2) "x")
  target("S3: 1 KiB download at most 2x the image's java -version (issue 15)", v, v >= 0 && v <= 2, fmt(v, 2) "x")
  a = rss_mib(1, "chunk 4 chunks"); b = rss_mib(5, "chunk 4 chunks")
  v = ratio(b, a)
  target("S5: peak memory at 4 GiB the same as at scenario 1's size (within 10%)", v, v <= 1.1,
    fmt(b, 0) " vs " fmt(a, 0) " MiB")
  a = wall_median(1, "chunk 4 chunks"); b = wall_median(5, "chunk 4 chunks")
  v = (a < 0 || b < 0) ? -1 : (b / bytes[5, "chunk 4 chunks"]) / (a / bytes[1, "chunk 4 chunks"])
  target("S5: time per byte at 4 GiB no worse than at scenario 1's size (within 10%)", v, v <= 1.1,
    fmt(v, 2) "x")
  v = ratio(wall_median(6, "chunk 4 chunks, --no-verify"), wall_median(6, "chunk 4 chunks, verified"))
  target("S6: verified (digests known) at least 0.8 of the speed of --no-verify", v, v >= 0.8, fmt(v, 2) "x")
  v = ratio(wall_median(6, "curl"), wall_median(6, "chunk 4 chunks, verified"))
  target("S6: verified (digests known) ahead of curl", v, v > 1, fmt(v, 2) "x")
  v = ratio(wall_median(6, "chunk 4 chunks, verified, servers just started"), wall_median(6, "chunk 4 chunks, verified"))
  target("S6: verified, servers just started, at most 1.6x the time with digests known", v, v <= 1.6, fmt(v, 2) "x")
  v = ratio(wall_median(6, "chunk 4 chunks, verified, servers just restarted"), wall_median(6, "chunk 4 chunks, verified"))
  target("S6: verified, servers just restarted (digests on disk), at most 1.1x the time with digests known", v,
    v <= 1.1, fmt(v, 2) "x")
  v = ratio(wall_median(6, "aria2c -s4, 4 mirrors, --checksum"), wall_median(6, "chunk 4 chunks, verified"))
  target("S6: verified at least 2x as fast as aria2c --checksum", v, v >= 2, fmt(v, 2) "x")
  v = ratio(wall_median(7, "chunk 4 chunks"), wall_median(7, "chunk 4 chunks, 3 mirrors alone"))
  target("S7: one 10 MB/s mirror among four at most 1.3x the time of the three fast alone (4 chunks)", v,
    v >= 0 && v <= 1.3, fmt(v, 2) "x")
  a = wall_median(8, "chunk 4 chunks")
  v = (a <= 0 || mixed_sum <= 0) ? -1 : bytes[8, "chunk 4 chunks"] / a / mixed_sum
  target("S8: mirrors at 10/20/40/80 MB/s: at least 90% of their sum (4 chunks)", v, v >= 0.9,
    (v < 0 ? "" : mbps(bytes[8, "chunk 4 chunks"] / a / 1e6) " MB/s, ") fmt(100 * v, 0) "%")
  v = ratio(wall_median(8, "aria2c -s4, 4 mirrors"), wall_median(8, "chunk 4 chunks"))
  target("S8: at least 1.5x aria2c (4 chunks)", v, v >= 1.5, fmt(v, 2) "x")
  v = ratio(wall_median(8, "axel -n 4, 4 mirrors"), wall_median(8, "chunk 4 chunks"))
  target("S8: at least 1.5x axel (4 chunks)", v, v >= 1.5, fmt(v, 2) "x")
  a = wall_median(9, "chunk 4 chunks"); b = wall_median(9, "chunk 4 chunks, 3 mirrors alone")
  v = (a < 0 || b < 0) ? -1 : 1
  target("S9: a stalled mirror costs at most 3 s with the default --timeout (4 chunks, vs the 3 others alone)", v,
    a - b <= 3, sprintf("%+.2f s", a - b))
  v = ratio(wall_median(10, "aria2c -s4, 4 mirrors"), wall_median(10, "chunk over HTTP 4 chunks"))
  target("S10 (issue 20): HTTP, 4 nginx mirrors: at least 1.5x aria2c", v, v >= 1.5, fmt(v, 2) "x")
  v = ratio(wall_median(10, "curl"), wall_median(10, "chunk over HTTP 4 chunks"))
  target("S10 (issue 20): HTTP, 4 nginx mirrors: at least 0.9x curl's single stream", v, v >= 0.9, fmt(v, 2) "x")
  v = ratio(cpu_median(10, "chunk over HTTP 4 chunks"), cpu_median(10, "chunk 4 chunks, --no-verify"))
  target("S10 (issue 20): CPU per byte over HTTP at most 1.3x over chunk's protocol (both unverified)", v,
    v >= 0 && v <= 1.3, fmt(v, 2) "x")
  v = ratio(wall_median(7, "chunk over HTTP 4 chunks"), wall_median(7, "chunk over HTTP 4 chunks, 3 mirrors alone"))
  target("S7 (issue 20): HTTP: one 10 MB/s mirror among four at most 1.3x the three fast alone", v,
    v >= 0 && v <= 1.3, fmt(v, 2) "x")
  a = wall_median(8, "chunk over HTTP 4 chunks")
  v = (a <= 0 || mixed_sum <= 0) ? -1 : bytes[8, "chunk over HTTP 4 chunks"] / a / mixed_sum
  target("S8 (issue 20): HTTP mirrors at 10/20/40/80 MB/s: at least 90% of their sum", v, v >= 0.9,
    (v < 0 ? "" : mbps(bytes[8, "chunk over HTTP 4 chunks"] / a / 1e6) " MB/s, ") fmt(100 * v, 0) "%")
  a = wall_median(9, "chunk over HTTP 4 chunks"); b = wall_median(9, "chunk over HTTP 4 chunks, 3 mirrors alone")
  v = (a < 0 || b < 0) ? -1 : 1
  target("S9 (issue 20): HTTP: a stalled mirror costs at most 3 s", v, a - b <= 3, sprintf("%+.2f s", a - b))
  v = ratio(wall_median(11, "aria2c -s4, 4 mirrors"), wall_median(11, "chunk over HTTPS 4 chunks"))
  target("S11 (issue 20): HTTPS: ahead of aria2c", v, v > 1, fmt(v, 2) "x")
  v = ratio(cpu_median(11, "chunk over HTTPS 4 chunks"), cpu_median(11, "curl"))
  target("S11 (issue 20): HTTPS: CPU per byte against curl's (reported)", v, v >= 0, fmt(v, 2) "x")
  print ""
}

END {
  print "## Results"
  print ""
  print "Wall time is the median over the counted runs; MB/s is 10^6 bytes per second at the median;"
  print "CPU is the client's user+sys (median); peak RSS is the client's largest resident set over all runs."
  print ""
  for (i = 1; i <= scenario_count; i++) { scenario_table(order[i]); ratio_table(order[i]) }
  targets()
}
