// tokenformer import
import { checkOutputPath } from '@tokenformer/node-runtime';
import { importCommand as importOfficial } from '../interop.js';
import { str, stringOptions, UsageError, type Command, OVERWRITE } from './command.js';

const help = `tokenformer import --from FILE --config CONFIG --out DIR [--tokenizer FILE]

  --from FILE        the official state dict: pytorch_model.bin (torch.save zip or legacy format)
                     or a safetensors file with the official key names; float32, float16 or bfloat16
  --config CONFIG    the GPT-NeoX config it was trained or evaluated with (e.g. the release's
                     configs/tokenformer/150M_eval.yml), or JSON with the same keys (dashes or
                     underscores). The tensors decide the vocabulary, width, layers and token counts,
                     and a config value that contradicts them is an error; keys it leaves out take the
                     released configs' values (rotary_pct 0.25, seq_length 2048, l2_norm_gelu, ...)
  --out DIR          the checkpoint directory (config.json, model.safetensors), written atomically
  --tokenizer FILE   a tokenizer.json to store with it (the release's 20B_tokenizer.json), so
                     generate and evaluation find it
  Streams: one storage in memory at a time; no backend is needed.
  --overwrite        replace the output if it exists (an output is never one of the inputs)`;

export const importCommand: Command = {
  summary: 'an official TokenFormer pytorch_model.bin (GPT-NeoX) -> a checkpoint directory',
  help,
  options: { ...stringOptions('from', 'config', 'out', 'tokenizer'), ...OVERWRITE },
  async run(values) {
    const [from, config, out, tokenizer] = [str(values, 'from'), str(values, 'config'), str(values, 'out'), str(values, 'tokenizer')];
    if (!from || !config || !out) throw new UsageError(`import needs --from FILE, --config CONFIG and --out DIR\n\n${help}`);
    checkOutputPath('--out', out, { '--from': from, '--config': config, '--tokenizer': tokenizer }, values.overwrite === true);
    const r = await importOfficial({ from, config, out, ...(tokenizer ? { tokenizer } : {}) });
    const c = r.config;
    const slots = c.layers[0]!;
    console.error(
      `imported ${r.tensors} tensors (${r.format}) in ${r.seconds.toFixed(1)} s: ${r.params.toLocaleString('en-US')} parameters, ${c.numLayers} layers x ${c.hiddenSize}, ` +
        `${c.numAttentionHeads} heads, vocab ${c.vocabSize}, qkv/proj/ffn tokens ${slots.query.paramTokenNum}/${slots.proj.paramTokenNum}/${slots.ffn.paramTokenNum} -> ${r.out}`,
    );
    console.log(JSON.stringify({ out: r.out, format: r.format, tensors: r.tensors, params: r.params, seconds: r.seconds }, null, 2));
  },
};
