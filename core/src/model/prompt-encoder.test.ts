import { hashWord, promptBag, promptWords } from './prompt-encoder';

describe('prompt encoder tokenizer', () => {
  it('splits lower-case words and drops punctuation', () => {
    expect(promptWords('Remove Rain-streaks, restore detail!')).toEqual(['remove', 'rain', 'streaks', 'restore', 'detail']);
  });

  it('hashes a word to the same bucket every time, within range', () => {
    expect(hashWord('noise', 512)).toBe(hashWord('noise', 512));
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
