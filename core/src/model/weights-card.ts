/** The card shipped beside the weights: what they are, how they were made, what they measured. */
export interface WeightsCard {
  readonly engineVersion: string;
  readonly createdAt: string;
  /** Training stage that produced the weights (flow-matching, rl, distill). */
  readonly stage: string;
  /** Prompts the model was trained with, per task id. */
  readonly prompts: Record<string, string>;
  /** Start-noise scale `s` used in training (the path starts at y + s * eps). */
  readonly startNoise: number;
  /** Per task, per step budget (as a string key), the sampling times 1 = t_0 > ... > t_K = 0. */
  readonly schedules: Record<string, Record<string, number[]>>;
  readonly training: {
    readonly photos: string;
    readonly trainPhotos: readonly string[];
    readonly validationPhotos: readonly string[];
    readonly steps: number;
    readonly batchSize: number;
    readonly patchSize: number;
    readonly seconds: number;
    readonly backend: string;
  };
  /** Measured results, free-form tables keyed by name. */
  readonly results: Record<string, unknown>;
  /** SHA-256 (hex) of every file the weights consist of. */
  readonly files: Record<string, string>;
}
