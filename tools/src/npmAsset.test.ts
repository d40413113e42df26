import { describe, expect, it } from 'vitest';
import { AssetChecksumError, GPT2_VOCAB_JSON, npmAsset } from '@tokenformer/testing/text';

describe('npm data files pinned by sha256', () => {
  it('a file whose checksum differs from the pin fails loudly, naming both', () => {
    expect(npmAsset(GPT2_VOCAB_JSON)).toMatch(/encoder\.json$/);
    const wrong = { ...GPT2_VOCAB_JSON, sha256: '0'.repeat(64) };
    expect(() => npmAsset(wrong)).toThrow(AssetChecksumError);
    expect(() => npmAsset(wrong)).toThrow(/sha256 196139668be63f3b.*expected 0000/);
  });
});
