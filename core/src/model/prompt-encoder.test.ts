import { hashWord, promptBag, promptWords } from './prompt-encoder';

describe('prompt encoder tokenizer', () => {
  it('splits lower-case words and drops punctuation', () => {
    expect(promptWords('Remove Rain-streaks, restore detail!')).toEqual(['remove', 'rain', 'streaks', 'restore', 'detail']);
  });

  it('hashes a word with 32-bit FNV-1a (its published test vectors), modulo the bucket count', () => {
    // The shipped weights' prompt embeddings are indexed by these buckets: another hash scrambles every prompt.
    expect(hashWord('', 2 ** 32)).toBe(0x811c9dc5);
    expect(hashWord('a', 2 ** 32)).toBe(0xe40c292c);
    expect(hashWord('foobar', 2 ** 32)).toBe(0xbf9cf968);
    expect(hashWord('foobar', 512)).toBe(0xbf9cf968 % 512);
    for (const w of ['a', 'noise', 'haze', 'blur']) expect(hashWord(w, 512)).toBeLessThan(512);
  });

  it('averages the words: a bag sums to one and shares buckets with prompts that share words', () => {
    const a = promptBag('remove sensor noise', 512);
    const b = promptBag('remove rain streaks', 512);
    expect(a.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    expect(a[hashWord('remove', 512)]).toBeGreaterThan(0);
    expect(b[hashWord('remove', 512)]).toBeGreaterThan(0);
    expect(promptBag('', 512).every((v) => v === 0)).toBe(true);
  });
});
