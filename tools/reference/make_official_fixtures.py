"""Writes tools/fixtures/official/: tiny TokenFormer state dicts in the official GPT-NeoX layout,
saved by PyTorch itself, and what the independent reference computes from them.

Run with Debian's PyTorch:  /usr/bin/python3 tools/reference/make_official_fixtures.py

- pytorch_model.bin         torch.save zip (the released models' format), one storage per tensor
- pytorch_model_shared.bin  every tensor a view of one flat buffer (as DeepSpeed's zero_to_fp32
                            writes), one key-token tensor stored transposed (non-contiguous)
- pytorch_model_legacy.bin  the legacy format (_use_new_zipfile_serialization=False)
- pytorch_model_fp16.bin    float16 storages
- model.safetensors         the official key names in safetensors
- config.yml                GPT-NeoX arguments in the style of configs/tokenformer/*_eval.yml
- expected.json             ids, greedy tokens and margins; expected.safetensors: logits
"""
import json
import os

import torch

from make_fixtures import make_config, random_weights, write_safetensors
from tokenformer_reference import SLOTS, Reference

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "official")


def official_name(ours, layers):
    if ours == "wordEmbeddings":
        return "sequential.0.word_embeddings.weight"
    if ours.startswith("finalNorm."):
        return f"sequential.{layers + 3}.norm.{ours.split('.')[1]}"
    _, i, rest = ours.split(".", 2)
    rest = rest.replace("keyParamTokens", "key_param_tokens").replace("valueParamTokens", "value_param_tokens")
    return f"sequential.{int(i) + 2}.{rest}"


def official_state_dict(weights, layers):
    """Our names → official names, in GPT-NeoX's module order (embedding, blocks, final norm)."""
    order = ["wordEmbeddings"]
    for i in range(layers):
        for slot in SLOTS:
            prefix = f"layers.{i}.mlp" if slot == "ffn" else f"layers.{i}.attention.{slot}"
            order += [prefix + ".keyParamTokens", prefix + ".valueParamTokens"]
    order += ["finalNorm.weight", "finalNorm.bias"]
    sd = torch.nn.Module().state_dict()  # an OrderedDict with _metadata, as Module.state_dict() returns
    for name in order:
        sd[official_name(name, layers)] = weights[name].clone()
    return sd


def shared_state_dict(sd):
    """Every tensor a view into one flat storage; the first key-token tensor stored transposed."""
    flat = torch.cat([t.reshape(-1) for t in sd.values()])
    out, offset = type(sd)(), 0
    for i, (name, t) in enumerate(sd.items()):
        view = flat[offset:offset + t.numel()]
        if name.endswith("attention.query.key_param_tokens") and i < 3:
            # same values, non-contiguous: a [d, n] block read through .t()
            block = view.view(t.shape[1], t.shape[0])
            block.copy_(t.t())
            view = block.t()
        else:
            view = view.view(t.shape)
        assert torch.equal(view, t)
        out[name] = view
        offset += t.numel()
    return out


CONFIG_YML = """# A TokenFormer GPT-NeoX config in the style of configs/tokenformer/*_eval.yml (tiny sizes)
{
  "pipe_parallel_size": 1,
  "model_parallel_size": 1,

  "num_layers": 2,
  "hidden_size": 32,
  "num_attention_heads": 4,
  "qkv_slot_num": 24,
  "proj_slot_num": 20,
  "ffn_slot_num": 64,
  "seq_length": 64,
  "max_position_embeddings": 64,
  "pos_emb": "rotary",
  "rotary_pct": 0.25,
  "no_weight_tying": false,
  "norm": "layernorm_nonparam",
  "final_norm": "layernorm",
  "gpt_j_residual": false,
  "attention_config": [[["tokenformer"], 2]],
  "norm_activation_type": "l2_norm_gelu", # "l2_norm_gelu", "gelu_l2_norm", "softmax"

  "init_method": "normal",
  "output_layer_init_method": "wang_init",
  "checkpoint_validation_with_forward_pass": False,
  "adlr_autoresume": True,
  "tokenizer-type": "HFTokenizer",
  "vocab-file": "./tokenizer.json", # from GPT-NeoX 20B
}
"""


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    layers = 2
    config = make_config(128, 32, layers, 4, [(24, 20, 64)] * layers, 0.25, "l2_norm_gelu")
    gen = torch.Generator().manual_seed(11)
    weights = random_weights(config, gen)
    sd = official_state_dict(weights, layers)

    torch.save(sd, os.path.join(OUT, "pytorch_model.bin"))
    torch.save(shared_state_dict(sd), os.path.join(OUT, "pytorch_model_shared.bin"))
    torch.save(sd, os.path.join(OUT, "pytorch_model_legacy.bin"), _use_new_zipfile_serialization=False)
    torch.save(type(sd)((k, v.half()) for k, v in sd.items()), os.path.join(OUT, "pytorch_model_fp16.bin"))
    write_safetensors(os.path.join(OUT, "model.safetensors"), sd)
    with open(os.path.join(OUT, "config.yml"), "w") as f:
        f.write(CONFIG_YML)

    # The reference, run from what torch.load gives back (float64 arithmetic on the float32 values).
    loaded = torch.load(os.path.join(OUT, "pytorch_model.bin"))
    back = {ours: loaded[official_name(ours, layers)].double() for ours in weights}
    ref = Reference(config, back)
    ids = torch.randint(0, 128, (2, 12), generator=gen)
    with torch.no_grad():
        logits, _ = ref.forward(ids)
        prompt = ids[0, :4].tolist()
        greedy, margins = ref.greedy(prompt, 8)
    write_safetensors(os.path.join(OUT, "expected.safetensors"), {"logits": logits})
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"ids": ids.tolist(), "greedy": {"prompt": prompt, "tokens": greedy, "minMargin": min(margins)},
                   "torch": torch.__version__}, f, indent=1)
        f.write("\n")
    print(f"official: greedy {greedy}, min top-2 margin {min(margins):.4f}")


if __name__ == "__main__":
    main()
