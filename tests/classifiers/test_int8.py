"""Row-scaled int8 linear layers: close to float32, and each row independent of the others."""

from __future__ import annotations

import pytest
import torch

from classifiers.encoders.int8 import (
    Int8Unsupported,
    RowScaledInt8Linear,
    quantize_rows_int8,
    row_int8_supported,
)

pytestmark = pytest.mark.skipif(not row_int8_supported(), reason="needs PyTorch's x86 int8 kernels")


def _linear(in_features: int = 64, out_features: int = 48, *, bias: bool = True) -> torch.nn.Linear:
    torch.manual_seed(0)
    return torch.nn.Linear(in_features, out_features, bias=bias)


def _relative_error(got: torch.Tensor, expected: torch.Tensor) -> float:
    return float((got - expected).norm() / expected.norm())


@pytest.mark.parametrize("bias", [True, False])
def test_matches_the_float_layer_closely(bias: bool) -> None:
    linear = _linear(bias=bias)
    inputs = torch.randn(3, 17, 64)
    with torch.no_grad():
        expected, got = linear(inputs), RowScaledInt8Linear(linear)(inputs)
    assert got.shape == expected.shape == (3, 17, 48)
    assert got.dtype == torch.float32
    assert _relative_error(got, expected) < 0.03


def test_an_outlier_row_does_not_coarsen_the_others() -> None:
    # One loud token set the whole batch's scale under per-tensor int8; here it sets only its own.
    linear = _linear()
    quiet = torch.randn(31, 64)
    inputs = torch.cat([quiet, torch.full((1, 64), 500.0)])
    with torch.no_grad():
        layer = RowScaledInt8Linear(linear)
        together, alone = layer(inputs)[:31], layer(quiet)
    assert torch.equal(together, alone)
    assert _relative_error(alone, linear(quiet).detach()) < 0.03


def test_each_row_comes_out_the_same_in_any_batch() -> None:
    linear = _linear()
    inputs = torch.randn(40, 64) * torch.logspace(-2, 2, 40).unsqueeze(1)
    with torch.no_grad():
        layer = RowScaledInt8Linear(linear)
        batched = layer(inputs)
        one_by_one = torch.cat([layer(row.unsqueeze(0)) for row in inputs])
    assert torch.equal(batched, one_by_one)


def test_a_zero_row_gives_the_bias() -> None:
    linear = _linear()
    with torch.no_grad():
        out = RowScaledInt8Linear(linear)(torch.zeros(2, 64))
    assert torch.equal(out, linear.bias.detach().expand(2, -1))


def test_the_bias_is_a_copy_of_the_float_layers() -> None:
    linear = _linear()
    layer = RowScaledInt8Linear(linear)
    assert layer.bias is not None
    assert layer.bias.data_ptr() != linear.bias.data_ptr()


def test_quantize_replaces_every_linear_layer_in_place() -> None:
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(16, 32), torch.nn.GELU(), torch.nn.Sequential(torch.nn.Linear(32, 8))
    )
    inputs = torch.randn(5, 16)
    with torch.no_grad():
        expected = model(inputs)
        assert quantize_rows_int8(model) is model
        got = model(inputs)
    assert not any(isinstance(m, torch.nn.Linear) for m in model.modules())
    assert sum(isinstance(m, RowScaledInt8Linear) for m in model.modules()) == 2
    assert _relative_error(got, expected) < 0.05


def test_packs_with_the_x86_engine_whatever_the_process_chose() -> None:
    if "qnnpack" not in torch.backends.quantized.supported_engines:
        pytest.skip("needs the qnnpack engine to switch to")
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = "qnnpack"
    try:
        layer = RowScaledInt8Linear(_linear())
        assert torch.backends.quantized.engine == "qnnpack"
        assert layer(torch.randn(2, 64)).shape == (2, 48)
    finally:
        torch.backends.quantized.engine = previous


def test_without_x86_kernels_it_says_which_precision_to_choose(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("classifiers.encoders.int8.row_int8_supported", lambda: False)
    with pytest.raises(Int8Unsupported, match=r"classifier\.precision.*fp32"):
        quantize_rows_int8(torch.nn.Sequential(_linear()))
