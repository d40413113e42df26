"""Loads an exported pytorch_model.bin as GPT-NeoX would (torch.load, then a strict load_state_dict
into a module with the official parameter names and shapes) and prints the reference's logits.

  /usr/bin/python3 tools/reference/check_official_export.py FILE CONFIG_JSON IDS_JSON

CONFIG_JSON is our config.json (for the shapes); IDS_JSON a [B, T] list. Prints {"logits": [...]}.
Used by the model package's export test when Debian's python3-torch is installed.
"""
import json
import sys

import torch

from make_official_fixtures import official_name
from tokenformer_reference import Reference


def official_module(config):
    """A module tree with exactly the parameter names and shapes of GPT-NeoX's TokenFormer pipeline."""
    root = torch.nn.Module()
    for ours, shape in shapes(config).items():
        *path, leaf = official_name(ours, config["numLayers"]).split(".")
        module = root
        for part in path:
            if not hasattr(module, part):
                module.add_module(part, torch.nn.Module())
            module = getattr(module, part)
        module.register_parameter(leaf, torch.nn.Parameter(torch.zeros(shape)))
    return root


def shapes(config):
    d = config["hiddenSize"]
    out = {"wordEmbeddings": [config["vocabSize"], d]}
    for i, layer in enumerate(config["layers"]):
        for slot, s in layer.items():
            prefix = f"layers.{i}.mlp" if slot == "ffn" else f"layers.{i}.attention.{slot}"
            out[prefix + ".keyParamTokens"] = [s["paramTokenNum"], d]
            out[prefix + ".valueParamTokens"] = [s["paramTokenNum"], d]
    out["finalNorm.weight"] = [d]
    out["finalNorm.bias"] = [d]
    return out


def main():
    path, config_path, ids_path = sys.argv[1:4]
    config = json.load(open(config_path))
    sd = torch.load(path)
    assert all(t.dtype == torch.float32 for t in sd.values()), "exported tensors must be float32"
    official_module(config).load_state_dict(sd, strict=True)  # every official key, no other, right shapes
    weights = {ours: sd[official_name(ours, config["numLayers"])].double() for ours in shapes(config)}
    ids = torch.tensor(json.load(open(ids_path)))
    with torch.no_grad():
        logits, _ = Reference(config, weights).forward(ids)
    json.dump({"logits": logits.reshape(-1).tolist(), "keys": list(sd.keys())}, sys.stdout)


if __name__ == "__main__":
    main()
