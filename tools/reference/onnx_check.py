#!/usr/bin/python3
"""Checks ONNX files written by Hindsight with the onnx package's own checker (Debian: apt-get install python3-onnx).

    HINDSIGHT_ONNX_DUMP=/tmp/onnx-dump dotnet test tests/Hindsight.Onnx.Tests -c Release
    /usr/bin/python3 tools/reference/onnx_check.py /tmp/onnx-dump [more.onnx ...]

Every file must pass onnx.checker.check_model(full_check=True) (schemas, types, strict shape inference) and
declare IR version 8 and opset 17. Prints one line per file and a summary; exits 1 if any file fails.
"""
import collections
import pathlib
import sys

import onnx


def files(args):
    for a in args:
        p = pathlib.Path(a)
        yield from sorted(p.glob("*.onnx")) if p.is_dir() else [p]


def main(args):
    ops, failed, count = collections.Counter(), 0, 0
    for f in files(args):
        count += 1
        try:
            model = onnx.load(str(f))
            onnx.checker.check_model(model, full_check=True)
            opsets = {o.domain: o.version for o in model.opset_import}
            assert model.ir_version == 8, f"ir_version {model.ir_version}"
            assert opsets == {"": 17}, f"opset_import {opsets}"
            kinds = [n.op_type for n in model.graph.node]
            ops.update(kinds)
            print(f"ok   {f.name}: {model.graph.name}, {len(kinds)} nodes, inputs {[i.name for i in model.graph.input]}")
        except Exception as e:  # report every file, then fail
            failed += 1
            print(f"FAIL {f}: {e}")
    print(f"{count - failed} passed, {failed} failed (onnx {onnx.__version__}); ops seen: {dict(sorted(ops.items()))}")
    return 1 if failed or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["."]))
