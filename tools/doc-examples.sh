#!/usr/bin/env bash
# Runs every example of README.md and docs/*.md in full, the slow ones (<!-- doc-slow ... -->) included, and compares
# the numbers the docs print with the output: fenced examples and the hidden markers before prose
# (<!-- doc-slow: run="evaluate ..." expect="..." -->). CI does not need this: the test suite runs the <!-- doc-test -->
# examples in full and the slow ones with their quick="..." arguments (exit codes only; hidden slow markers without
# quick= are not run there). Takes several minutes: langid and generate train on the full data, the co2 seed table
# fits 25 networks, the unemployment example 9 models on 14 series.
set -euo pipefail
cd "$(dirname "$0")/.."
HINDSIGHT_DOC_EXAMPLES=all dotnet test -c Release tests/Hindsight.Tests --filter "FullyQualifiedName~Hindsight.Tests.Docs" "$@"
