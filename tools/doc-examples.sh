#!/usr/bin/env bash
# Runs every example of README.md and docs/*.md in full, the slow ones (<!-- doc-slow -->) included, and compares
# the numbers the docs print with the output. CI does not need this: the test suite runs the <!-- doc-test -->
# examples in full and the slow ones with their quick="..." arguments (exit codes only).
# Takes a few minutes (langid and generate train on the full data).
set -euo pipefail
cd "$(dirname "$0")/.."
HINDSIGHT_DOC_EXAMPLES=all dotnet test -c Release tests/Hindsight.Tests --filter "FullyQualifiedName~Hindsight.Tests.Docs" "$@"
