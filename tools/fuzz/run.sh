#!/usr/bin/env bash
# Coverage-guided fuzzing of the data readers (issue 9): SeriesCsv.Load on CSV and on JSON, SafeTensors.Read.
# AFL++ (Debian package afl++) drives SharpFuzz-instrumented Hindsight assemblies; seeds come from tests/corpus.
# Usage: tools/fuzz/run.sh [SECONDS_PER_TARGET (default 300)] [TARGETS (default "csv json safetensors")]
# Findings land in tools/fuzz/findings/TARGET/default/crashes (git-ignored); each is replayed at the end with
# `Hindsight.Fuzz TARGET --replay FILE...` (uninstrumented), which prints the exception. Copy each crash into
# tools/corpus/fuzz-found/TARGET/ and rerun tools/corpus/generate.py: it becomes a corpus case.
# Not part of CI (a fuzz run is not a test); the project is not in Hindsight.slnx.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-300}"
targets="${2:-csv json safetensors}"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz missing: apt-get install -y afl++" >&2; exit 2; }
tools="$here/.tools"
[ -x "$tools/sharpfuzz" ] || dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version 2.3.0

dotnet build -c Release "$here/Hindsight.Fuzz" -o "$here/bin" >/dev/null
# Crashes are replayed on an uninstrumented copy: instrumented code outside afl-fuzz throws NullReferenceException.
rm -rf "$here/bin-replay"; cp -r "$here/bin" "$here/bin-replay"
# Instrument the assemblies under test in place (the copies in tools/fuzz/bin only); a second run skips them.
for dll in Hindsight.dll Hindsight.Forecasting.dll; do
  "$tools/sharpfuzz" "$here/bin/$dll" 2>&1 | grep -v "already instrumented" || true
done

export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
for t in $targets; do
  seeds="$here/seeds/$t"; rm -rf "$seeds"; mkdir -p "$seeds"
  case "$t" in
    csv) pattern='*.csv' ;;
    json) pattern='*.json' ;;
    safetensors) pattern='*.safetensors' ;;
  esac
  # small seeds only (AFL works best on inputs of a few KB)
  find "$root/tests/corpus" -name "$pattern" -size -6k -exec cp {} "$seeds/" \;
  echo "== $t: $(ls "$seeds" | wc -l) seeds, ${seconds}s"
  out="$here/findings/$t"; rm -rf "$out"; mkdir -p "$here/findings"
  afl-fuzz -i "$seeds" -o "$out" -t 5000 -m none -V "$seconds" -- dotnet "$here/bin/Hindsight.Fuzz.dll" "$t" > "$here/findings/$t.log" 2>&1 || true
  stats="$out/default/fuzzer_stats"
  if [ -f "$stats" ]; then
    grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg) ' "$stats" | tr -s ' ' | sed "s/^/  $t: /"
  else
    echo "  $t: afl-fuzz did not start; see $here/findings/$t.log"; tail -20 "$here/findings/$t.log"
  fi
  # The inputs AFL kept for new coverage (not the seeds) become regression inputs of Corpus/FuzzQueueTests.
  keep="$root/tests/corpus/fuzz-queue/$t"; rm -rf "$keep"; mkdir -p "$keep"; n=0
  for q in "$out"/default/queue/id:*; do
    case "$q" in *orig:*) continue ;; esac
    ext="$t"; cp "$q" "$keep/q$(printf %04d $n).$ext"; n=$((n+1))
  done
  echo "  $t: $n new queue inputs kept in tests/corpus/fuzz-queue/$t"
  crashes=("$out"/default/crashes/id:*)
  if [ -e "${crashes[0]}" ]; then
    dotnet "$here/bin-replay/Hindsight.Fuzz.dll" "$t" --replay "${crashes[@]}" || true
  fi
done
