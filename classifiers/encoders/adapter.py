"""LoRA adapters for the encoder, merged into its weights before any quantisation.

An adapter holds, for some of the encoder's linear layers, two small matrices
``lora_A`` (rank × in) and ``lora_B`` (out × rank); merging adds
``alpha / rank · B @ A`` to the layer's weight. Merged, it costs nothing at run
time, and the file is a few hundred KB, small enough for git.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import torch
from safetensors import safe_open

__all__ = ["adapter_sha", "merge_adapter"]


def adapter_sha(path: Path) -> str:
    """The first 12 hex digits of the adapter file's SHA-256, for version strings."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def merge_adapter(model: torch.nn.Module, path: Path) -> int:
    """Add the adapter's low-rank updates to ``model``'s weights; returns layers changed."""
    modules = dict(model.named_modules())
    with safe_open(str(path), framework="pt") as handle:
        metadata = handle.metadata() or {}
        scale = float(metadata.get("alpha", 1)) / float(metadata.get("rank", 1))
        names = sorted({key.rsplit(".", 1)[0] for key in handle.keys()})  # noqa: SIM118 (not a dict)
        with torch.no_grad():
            for name in names:
                layer = modules.get(name)
                if not isinstance(layer, torch.nn.Linear):
                    raise ValueError(f"{path}: {name} is not a linear layer of this encoder")
                update = handle.get_tensor(f"{name}.lora_B") @ handle.get_tensor(f"{name}.lora_A")
                layer.weight += scale * update
    return len(names)
