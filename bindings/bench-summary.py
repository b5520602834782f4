#!/usr/bin/env python3
"""Summarises bindings/bench.sh output: per language, the median over rounds of its QPS divided by the Java run
just before it (single and batch), and the best of each."""
import json
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
ratios = {}
best = {}
last_java = None
for r in rows:
    lang = r["lang"]
    best.setdefault(lang, [0, 0])
    best[lang] = [max(best[lang][0], r["single_qps"]), max(best[lang][1], r["batch_qps"])]
    if lang == "java":
        last_java = r
        continue
    ratios.setdefault(lang, []).append((r["single_qps"] / last_java["single_qps"], r["batch_qps"] / last_java["batch_qps"]))
print("| language | single QPS / Java's (median, all rounds) | batch QPS / Java's (median) | best single QPS | best batch QPS |")
print("| --- | --- | --- | ---: | ---: |")
print(f"| Java API | 1 | 1 | {best['java'][0]:,.0f} | {best['java'][1]:,.0f} |")
for lang, rs in ratios.items():
    s = statistics.median(x[0] for x in rs)
    b = statistics.median(x[1] for x in rs)
    all_s = ", ".join(f"{x[0]:.2f}" for x in rs)
    print(f"| {lang} | **{s:.3f}** ({all_s}) | **{b:.3f}** | {best[lang][0]:,.0f} | {best[lang][1]:,.0f} |")
java = [r for r in rows if r["lang"] == "java" and "bridge_us" in r]
if java:
    print(f"\nBridge without JNI, in one JVM (median of {len(java)} Java runs): API "
          f"{statistics.median(r['api_us'] for r in java):.1f} us, bridge {statistics.median(r['bridge_us'] for r in java):.1f} us"
          " per search")
print("checksums:", sorted({r["checksum"] for r in rows}))
