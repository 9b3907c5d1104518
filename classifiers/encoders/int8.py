"""Int8 linear layers that scale activations per row, so a text's result never depends on its batch.

PyTorch's dynamic int8 (``quantize_dynamic``) gives a whole input tensor one
activation scale. A batch of mentions then shares one scale, set by whichever
token of whichever mention has the largest activation (padding included): the
same text comes out differently in another batch (cosine ~0.985 to itself on
512 team-set texts), and the layers with the worst outliers had to stay in
float32. Here each row (one token of one text) is divided by its own largest
magnitude, so every row spans [-1, 1] and the int8 kernel can take one fixed
input scale; the row's magnitude multiplies its output back. Weights are int8
per output channel, as before.

Measured on the same 512 texts against float32, every layer quantised: cosine
mean 0.9993 / min 0.9984 (per-tensor, three layers kept float: 0.9952 / 0.9876),
at the same speed on 2 cores of an AMD EPYC (Zen 4), since no layer stays in
float32. The integer products are exact, so once the encoder batches a text only
with texts of its own padded length, its row is bit-identical in any batch.

The kernel (``quantized::linear_with_input_q_dq_qweight_dq_output_fp32``) is
fbgemm's, which PyTorch builds for x86 only; ``row_int8_supported`` tells.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator

import torch

from classifiers.encoders.errors import Int8Unsupported

__all__ = ["Int8Unsupported", "RowScaledInt8Linear", "quantize_rows_int8", "row_int8_supported"]

# Rows are scaled into [-1, 1] and quantised as uint8 around 128: [-128, 127] / 127.
_INPUT_SCALE = 1.0 / 127.0
_INPUT_ZERO_POINT = 128
_ENGINES = ("x86", "fbgemm")
_TINY = torch.finfo(torch.float32).tiny


def row_int8_supported() -> bool:
    """Whether this PyTorch build has the x86 int8 kernels the row-scaled layers need."""
    return any(engine in torch.backends.quantized.supported_engines for engine in _ENGINES)


class RowScaledInt8Linear(torch.nn.Module):
    """``nn.Linear`` with int8 weights (per output channel) and int8 activations per row."""

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__()
        self.in_features = linear.in_features
        self.out_features = linear.out_features
        with torch.no_grad():
            weight = linear.weight.detach().to(torch.float32)
            scales = (weight.abs().amax(dim=1) / 127.0).clamp_min(_TINY).to(torch.float64)
            zero_points = torch.zeros(self.out_features, dtype=torch.int64)
            with warnings.catch_warnings():
                # Deprecated for a future release; torch is pinned, and the packed kernel
                # takes nothing else.
                warnings.filterwarnings("ignore", message=r"torch\.quantize_per_tensor")
                codes = torch.quantize_per_channel(weight, scales, zero_points, 0, torch.qint8)
            with _x86_engine():
                # Packed without the bias: the bias is added after the row scale is restored.
                self._packed = torch.ops.quantized.linear_prepack(codes, None)
            # A copy, not a view: the float bias may live in a memory-mapped weights file.
            bias = None if linear.bias is None else linear.bias.detach().to(torch.float32).clone()
        self.register_buffer("bias", bias)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        rows = inputs.reshape(-1, self.in_features).to(torch.float32)
        magnitude = rows.abs().amax(dim=1, keepdim=True).clamp_min(_TINY)
        product = torch.ops.quantized.linear_with_input_q_dq_qweight_dq_output_fp32(
            rows / magnitude, _INPUT_SCALE, _INPUT_ZERO_POINT, self._packed
        )
        # In place: a fresh output tensor per layer grew the allocator's cache by ~40 MB.
        product.mul_(magnitude)
        if self.bias is not None:
            product.add_(self.bias)
        return product.reshape(*inputs.shape[:-1], self.out_features)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, int8 per row"


def quantize_rows_int8(model: torch.nn.Module) -> torch.nn.Module:
    """Replace every ``nn.Linear`` in ``model`` with a ``RowScaledInt8Linear``, in place."""
    if not row_int8_supported():
        raise Int8Unsupported(
            "int8 judging needs PyTorch's x86 (fbgemm) int8 kernels, which this build "
            f"lacks (it has {', '.join(torch.backends.quantized.supported_engines)}); "
            'set classifier.precision (for `socialcrm train`, training.precision) to "fp32" '
            '(or "bf16" on a CPU with bfloat16 units)'
        )
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, torch.nn.Linear):
                setattr(parent, name, RowScaledInt8Linear(child))
    return model


@contextlib.contextmanager
def _x86_engine() -> Iterator[None]:
    """Pack weights with the x86 engine even where the process chose another one."""
    previous = torch.backends.quantized.engine
    if previous not in _ENGINES:
        torch.backends.quantized.engine = next(
            engine for engine in _ENGINES if engine in torch.backends.quantized.supported_engines
        )
    try:
        yield
    finally:
        torch.backends.quantized.engine = previous
