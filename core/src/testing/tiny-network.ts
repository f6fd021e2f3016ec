import type { NetworkConfig } from '../model/network-config';

/** A very small network for fast tests of the machinery (not of restoration quality). */
export const TINY_NETWORK: NetworkConfig = {
  inChannels: 7,
  channels: [4, 8],
  encoderBlocks: [0, 1],
  decoderBlocks: [1],
  condDim: 8,
  timeFrequencies: 4,
  promptBuckets: 32,
  promptDim: 8,
};
