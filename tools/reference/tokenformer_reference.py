"""An independent PyTorch reference of the official TokenFormer (GPT-NeoX) architecture.

Written from the official code's structure (megatron/model/tokenformer.py, positional_embeddings.py,
norms.py, gpt2_model.py at Haiyang-W/TokenFormer 4d56c73), keeping its layout and arithmetic:
[seq, batch, hidden] activations, a contiguous head split (view(sq, b, np, hn)), GPT-NeoX rotary
(rotate_half, cos/sin cached for max_seq_len, sliced at an offset), Pattention with the three
normalisations exactly as `nonlinear_norm_func` writes them (softmax as exp / L1 * n without
max-subtraction), non-parametric in-block LayerNorm, parametric final LayerNorm, tied logits.
Token-token attention is plain causal softmax(QK^T / sqrt(hn)) V, which is what flash-attn computes.

Used only by make_fixtures.py to produce test fixtures; the packages never need Python.
"""
import math

import torch
import torch.nn.functional as F

SLOTS = ("query", "key", "value", "proj", "ffn")


def nonlinear_norm(inputs, kind, tau=None):
    """Θ over the last axis (n parameter tokens). tau None = the official factor (sqrt(n), or n for softmax)."""
    n = inputs.shape[-1]
    if kind == "softmax":
        e = torch.exp(inputs)
        return e / torch.norm(e, p=1, dim=-1, keepdim=True) * (n if tau is None else tau)
    if kind == "gelu_l2_norm":
        g = F.gelu(inputs)
        return g / torch.norm(g, p=2, dim=-1, keepdim=True) * (math.sqrt(n) if tau is None else tau)
    if kind == "l2_norm_gelu":
        z = inputs / torch.norm(inputs, p=2, dim=-1, keepdim=True) * (math.sqrt(n) if tau is None else tau)
        return F.gelu(z)
    raise ValueError(kind)


def pattention(x, key_tokens, value_tokens, kind, tau=None):
    return nonlinear_norm(x @ key_tokens.transpose(-2, -1), kind, tau) @ value_tokens


def rotary_cache(dim, base, max_seq_len, dtype):
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
    t = torch.arange(max_seq_len, dtype=inv_freq.dtype)
    freqs = torch.einsum("i,j->ij", t, inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos()[:, None, None, :].to(dtype), emb.sin()[:, None, None, :].to(dtype)


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2 :]
    return torch.cat((-x2, x1), dim=x1.ndim - 1)


def apply_rotary(x, cos, sin, offset):
    cos = cos[offset : x.shape[0] + offset]
    sin = sin[offset : x.shape[0] + offset]
    return x * cos + rotate_half(x) * sin


class Reference:
    """Weights by our tensor names (torch tensors with requires_grad) + config (our config.json)."""

    def __init__(self, config, weights):
        self.c = config
        self.w = weights
        hd = config["hiddenSize"] // config["numAttentionHeads"]
        self.hd = hd
        self.rot = int(hd * config["rotaryPct"])
        dtype = next(iter(weights.values())).dtype
        self.cos, self.sin = rotary_cache(self.rot, config["rotaryEmbBase"], config["maxSeqLen"], dtype)

    def _pattention(self, x, layer, slot):
        prefix = f"layers.{layer}.mlp" if slot == "ffn" else f"layers.{layer}.attention.{slot}"
        tau = self.c["layers"][layer][slot]["tau"]
        return pattention(x, self.w[prefix + ".keyParamTokens"], self.w[prefix + ".valueParamTokens"],
                          self.c["normActivationType"], tau)

    def _attention(self, x, layer, past, offset):
        sq, b, h = x.shape
        np_ = self.c["numAttentionHeads"]
        q = self._pattention(x, layer, "query").view(sq, b, np_, self.hd)
        k = self._pattention(x, layer, "key").view(sq, b, np_, self.hd)
        v = self._pattention(x, layer, "value").view(sq, b, np_, self.hd)
        if self.rot > 0:
            r = self.rot
            q = torch.cat((apply_rotary(q[..., :r], self.cos, self.sin, offset), q[..., r:]), dim=-1)
            k = torch.cat((apply_rotary(k[..., :r], self.cos, self.sin, offset), k[..., r:]), dim=-1)
        if past is not None:
            k = torch.cat((past[0], k), dim=0)
            v = torch.cat((past[1], v), dim=0)
        present = (k, v)
        sk = k.shape[0]
        qh, kh, vh = (t.permute(1, 2, 0, 3) for t in (q, k, v))  # [b, np, s, hn]
        scores = qh @ kh.transpose(-2, -1) / math.sqrt(self.hd)  # [b, np, sq, sk]
        allowed = torch.arange(sk)[None, :] <= (torch.arange(sq)[:, None] + offset)
        scores = scores.masked_fill(~allowed, float("-inf"))
        ctx = torch.softmax(scores, dim=-1) @ vh  # [b, np, sq, hn]
        ctx = ctx.permute(2, 0, 1, 3).contiguous().view(sq, b, h)
        return self._pattention(ctx, layer, "proj"), present

    def forward(self, ids, cache=None):
        """ids [b, s] (long) -> logits [b, s, V]; cache: list of (k, v) per layer or None."""
        eps = self.c["layerNormEps"]
        offset = 0 if cache is None or cache[0] is None else cache[0][0].shape[0]
        x = F.embedding(ids, self.w["wordEmbeddings"]).transpose(0, 1)  # [s, b, h]
        new_cache = []
        for i in range(self.c["numLayers"]):
            past = None if cache is None else cache[i]
            attn, present = self._attention(F.layer_norm(x, (x.shape[-1],), eps=eps), i, past, offset)
            x = x + attn
            x = x + self._pattention(F.layer_norm(x, (x.shape[-1],), eps=eps), i, "ffn")
            new_cache.append(present)
        x = F.layer_norm(x, (x.shape[-1],), self.w["finalNorm.weight"], self.w["finalNorm.bias"], eps)
        logits = F.linear(x, self.w["wordEmbeddings"])  # [s, b, V]
        return logits.transpose(0, 1), new_cache

    def greedy(self, prompt, steps):
        ids = list(prompt)
        margins = []
        for _ in range(steps):
            logits, _ = self.forward(torch.tensor([ids]))
            last = logits[0, -1]
            top = torch.topk(last, 2).values
            margins.append(float(top[0] - top[1]))
            ids.append(int(torch.argmax(last)))
        return ids[len(prompt):], margins
