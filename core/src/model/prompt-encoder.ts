/**
 * The prompt encoder's tokenizer: lower-case words hashed (FNV-1a) into a fixed number of buckets.
 * A new plugin's prompt maps to a vector without retraining and shares words with trained prompts.
 */
export function promptWords(prompt: string): string[] {
  return prompt.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

export function hashWord(word: string, buckets: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    hash ^= word.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % buckets;
}

/** A bag-of-buckets row: the mean over the prompt's words, as weights for the embedding table. */
export function promptBag(prompt: string, buckets: number): Float32Array {
  const bag = new Float32Array(buckets);
  const words = promptWords(prompt);
  for (const word of words) bag[hashWord(word, buckets)] += 1 / words.length;
  return bag;
}
