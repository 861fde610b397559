#!/bin/sh
# Builds one libFuzzer target (Fuzz/Package.swift, a package of its own so the normal build never
# compiles it) and fuzzes it for SECONDS; prints the executions, the corpus size and the findings.
#   sh Scripts/fuzz.sh TARGET SECONDS
# Targets: spec shorthand safetensors npy npz numeric-csv text-csv vocabulary keras.
# Everything it writes stays under .build-fuzz/: the corpus (kept between runs, so later runs start
# where earlier ones stopped), findings/TARGET/ (crash-*, timeout-*, oom-* inputs) and logs/TARGET.log.
# Replay one finding:  .build-fuzz/release/fuzz-TARGET FILE
set -eu
cd "$(dirname "$0")/.."

targets="spec shorthand safetensors npy npz numeric-csv text-csv vocabulary keras"
if [ $# -ne 2 ] || ! printf '%s\n' $targets | grep -qx -- "$1" || ! printf '%s' "$2" | grep -qx '[0-9][0-9]*'; then
    echo "usage: sh Scripts/fuzz.sh TARGET SECONDS; TARGET is one of: $targets" >&2
    exit 2
fi
target=$1
seconds=$2

sh Scripts/install-dependencies.sh
# libFuzzer ships with the Swift toolchain on Linux; lld (also in the toolchain) links the targets,
# where the default gold stops with an internal error. -c release: the checker and readers run at
# the speed users see, about 10x the executions of a debug build.
if ! command -v ld.lld >/dev/null 2>&1; then
    echo "modelc: ld.lld (part of the Swift toolchain for Linux) is not on PATH" >&2
    exit 1
fi
build="swift build --package-path Fuzz --scratch-path .build-fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld"
$build --product "fuzz-$target"
binary="$($build --show-bin-path)/fuzz-$target"
if [ "$target" = keras ]; then
    # libhdf5 runs in modelc's helper process (HDF5Isolation), so its own crashes on crafted files
    # (round 1 found dozens) are answers, and the target fuzzes what modelc does around them.
    swift build -c release --product modelc-hdf5
    MODELC_HDF5_HELPER="$(swift build -c release --show-bin-path)/modelc-hdf5"
    export MODELC_HDF5_HELPER
fi

work=.build-fuzz/work
corpus=.build-fuzz/corpus/$target
seeds=$work/seeds-$target
findings=.build-fuzz/findings/$target
log=.build-fuzz/logs/$target.log
rm -rf "$seeds"
mkdir -p "$corpus" "$seeds" "$findings" .build-fuzz/logs

# ASan's leak check at exit reports Swift's lazily built globals (catalogues, metadata) as leaks;
# ARC frees everything else, so leaks are not looked for. The Swift runtime's own crash backtracer
# would stall on every finding under the sanitizer; libFuzzer prints the stack instead.
export ASAN_OPTIONS=detect_leaks=0
export SWIFT_BACKTRACE=enable=no

# Seeds: inputs written by the target's own generator (modelc's encoders; long ones for the text
# targets), the project's spec files for the spec target, a few small real files from ../shared.
shared=../shared/keras-cases
MODELC_FUZZ_WRITE_SEEDS="$seeds" "$binary"
case $target in
spec)
    cp Specs/*.yaml Specs/invalid/*.yaml "$seeds"/
    [ -d "$shared" ] && for file in "$shared"/*/*.yaml; do cp "$file" "$seeds/$(basename "$(dirname "$file")")-$(basename "$file")"; done
    ;;
keras)
    # The files Keras 3 and tf_keras wrote for the importer's tests, the refused and the malformed ones.
    for file in Tests/Fixtures/keras/*/*.keras Tests/Fixtures/keras/*/*.h5; do
        [ -f "$file" ] && [ "$(wc -c < "$file")" -lt 65536 ] && cp "$file" "$seeds/$(basename "$(dirname "$file")")-$(basename "$file")"
    done
    ;;
safetensors|npy)
    [ -d "$shared" ] && find "$shared" -name "*.$target" -size -8k -printf '%s %p\n' | sort -n | head -n 8 | cut -d' ' -f2 | while read -r file; do
        cp "$file" "$seeds/$(basename "$(dirname "$file")")-$(basename "$file")"
    done
    ;;
esac

# Text targets get inputs up to 100 KB (the known quadratic cases need long inputs); binary ones
# keep libFuzzer's length, guessed from the seeds. A slow input (5 s) or 2 GB of memory is a
# finding. Fork mode with the ignore flags keeps fuzzing after a finding, so one known defect does
# not end the run; each finding's input is saved under findings/.
length=""
case $target in
spec|shorthand|numeric-csv|text-csv|vocabulary) length="-max_len=102400" ;;
esac
echo "fuzzing $target for $seconds s (log: $log)" >&2
status=0
nice -n 19 "$binary" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -detect_leaks=0 $length \
    -artifact_prefix="$findings/" "$corpus" "$seeds" >"$log" 2>&1 || status=$?

# The last status line: "#EXECUTIONS: cov: ... corp: N ... oom/timeout/crash: O/T/C time: Ss ...".
last=$(grep '^#[0-9]*: cov:' "$log" | tail -n 1)
executions=$(printf '%s' "$last" | sed -n 's/^#\([0-9]*\):.*/\1/p')
counts=$(printf '%s' "$last" | sed -n 's/.*oom\/timeout\/crash: \([0-9]*\/[0-9]*\/[0-9]*\).*/\1/p')
elapsed=$(printf '%s' "$last" | sed -n 's/.* time: \([0-9]*\)s.*/\1/p')
executions=${executions:-0}
elapsed=${elapsed:-$seconds}
echo "target:      $target"
echo "seconds:     $elapsed"
echo "executions:  $executions ($((executions / (elapsed > 0 ? elapsed : 1))) per second)"
echo "corpus:      $(find "$corpus" -type f | wc -l) inputs in $corpus, the largest $(find "$corpus" -type f -printf '%s\n' | sort -n | tail -n 1) bytes"
echo "oom/timeout/crash: ${counts:-0/0/0}"
saved=$(find "$findings" -type f | wc -l)
if [ "$saved" -gt 0 ] || [ "$status" -ne 0 ]; then
    echo "findings:    $saved inputs in $findings (exit status $status); what they hit:"
    grep -h -E 'Fatal error|ERROR: (AddressSanitizer|libFuzzer)|ALARM: working on the last Unit|out-of-memory' "$log" \
        | sed 's/==[0-9]*==//; s/0x[0-9a-f]*/0x…/g' | sort | uniq -c | sort -rn | head -n 20
    exit 1
fi
echo "findings:    none"
