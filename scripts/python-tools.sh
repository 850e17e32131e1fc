#!/usr/bin/env bash
# Installs the Python tools that check the HTTP API into a virtualenv at .venv-tools (repository root):
# openapi-spec-validator (used by crates/server/tests/openapi.rs) and schemathesis
# (used by scripts/schemathesis.sh). Versions are pinned so CI and developers run the same checks.
# Idempotent: a venv that already has the pinned versions is left as it is.
#
#   bash scripts/python-tools.sh          # then: .venv-tools/bin/python -m openapi_spec_validator FILE
set -euo pipefail
cd "$(dirname "$0")/.."

VALIDATOR=openapi-spec-validator==0.9.0
SCHEMATHESIS=schemathesis==4.32.5
VENV=.venv-tools
PY=${PYTHON:-python3}

if [ -x "$VENV/bin/python" ] \
    && "$VENV/bin/python" -m pip show openapi-spec-validator 2>/dev/null | grep -qx "Version: ${VALIDATOR#*==}" \
    && "$VENV/bin/python" -m pip show schemathesis 2>/dev/null | grep -qx "Version: ${SCHEMATHESIS#*==}"; then
    echo "python-tools: $VENV already has $VALIDATOR and $SCHEMATHESIS"
    exit 0
fi

"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "$VALIDATOR" "$SCHEMATHESIS"
echo "python-tools: installed $VALIDATOR and $SCHEMATHESIS into $VENV"
