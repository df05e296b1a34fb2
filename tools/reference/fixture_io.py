"""Writes parity fixtures as safetensors files (float32 tensors + string metadata), read by the C# tests.

Written by hand (8-byte little-endian header length, JSON header, raw little-endian float32 data), because
Debian's PyTorch 1.13 has no safetensors package. Integer data (class indices) is stored as float32.
"""
import json
import os
import struct
import tempfile

import numpy as np
import torch

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "fixtures")


def save(name, tensors, metadata=None):
    """Save dict name -> tensor/array to tests/fixtures/<name>.safetensors (atomically)."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    for key, value in tensors.items():
        if isinstance(value, torch.Tensor):
            value = value.detach().cpu().numpy()
        arr = np.array(value, dtype=np.float32, order="C")  # keeps 0-d shapes (ascontiguousarray makes them 1-d)
        data = arr.astype("<f4").tobytes()
        header[key] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    os.makedirs(FIXTURES, exist_ok=True)
    path = os.path.join(FIXTURES, name + ".safetensors")
    fd, tmp = tempfile.mkstemp(dir=FIXTURES)
    with os.fdopen(fd, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)
    return path
