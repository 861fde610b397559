#!/bin/sh
# Rewrites the generated reference part of Grammar.md from the catalogues (`modelc reference`);
# GrammarTests fails until it is run after a catalogue change.
set -eu
cd "$(dirname "$0")/.."
swift build --product modelc >/dev/null
python3 - <<'PY'
import subprocess
grammar = open('Grammar.md').read()
reference = subprocess.run(['.build/debug/modelc', 'reference'], capture_output=True, text=True, check=True).stdout
begin = grammar.index('<!-- BEGIN GENERATED REFERENCE')
end_marker = '<!-- END GENERATED REFERENCE -->\n'
end = grammar.index(end_marker) + len(end_marker)
open('Grammar.md', 'w').write(grammar[:begin] + reference + grammar[end:])
PY
# docs/diagnostics.md: the diagnostic code table (DiagnosticCodeTests fails until it is rewritten).
.build/debug/modelc explain --markdown > docs/diagnostics.md.tmp
mv docs/diagnostics.md.tmp docs/diagnostics.md
# docs/modelc.schema.json: the JSON Schema of spec files (JSONSchemaTests fails until it is rewritten).
.build/debug/modelc schema > docs/modelc.schema.json.tmp
mv docs/modelc.schema.json.tmp docs/modelc.schema.json
