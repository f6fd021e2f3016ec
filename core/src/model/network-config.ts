/** The shape of the conditional velocity network; stored in the weights' model.json. */
export interface NetworkConfig {
  /** Input channels: x_t (3) + y (3) + mask (1). */
  readonly inChannels: number;
  /** Channels per U-Net level, full resolution first; each level halves the resolution. */
  readonly channels: readonly number[];
  /** Residual blocks per level on the way down (the deepest level's are the middle blocks). */
  readonly encoderBlocks: readonly number[];
  /** Residual blocks per level on the way up (excluding the deepest level). */
  readonly decoderBlocks: readonly number[];
  /** Width of the conditioning vector (time, step size, prompt). */
  readonly condDim: number;
  /** Frequencies of the sinusoidal time embedding. */
  readonly timeFrequencies: number;
  /** Highest of them, in half-turns per unit time (geometric from 1); 1000 when absent (first weights). */
  readonly maxTimeFrequency?: number;
  /** Hash buckets and embedding width of the prompt encoder. */
  readonly promptBuckets: number;
  readonly promptDim: number;
}

export const DEFAULT_NETWORK: NetworkConfig = {
  inChannels: 7,
  channels: [16, 32, 64, 128],
  encoderBlocks: [0, 1, 1, 2],
  decoderBlocks: [0, 1, 1],
  condDim: 64,
  timeFrequencies: 16,
  maxTimeFrequency: 64,
  promptBuckets: 512,
  promptDim: 32,
};

/** The input side must be a multiple of this for the space-to-depth levels. */
export function sizeMultiple(config: NetworkConfig): number {
  return 2 ** (config.channels.length - 1);
}
