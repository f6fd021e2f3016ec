import type { TaskSpec } from '../common/task';
import { describePhotoSource, type PhotoSource } from './photo-set';
import type { WeightsCard } from '../model/weights-card';

/** What every training stage records about its run in the weights card. */
export interface TrainingRun {
  readonly tasks: readonly TaskSpec[];
  readonly photosDir: PhotoSource;
  readonly names: { readonly train: readonly string[]; readonly validation: readonly string[] };
  readonly batchSize: number;
  readonly patchSize: number;
  readonly engineVersion: string;
  readonly backend: string;
}

/** The card of a stage's weights at a given step; the stage adds its schedules and results. */
export function trainingCard(
  run: TrainingRun,
  stage: string,
  progress: { readonly step: number; readonly seconds: number },
  fields: Pick<WeightsCard, 'startNoise' | 'schedules' | 'results'>,
): Omit<WeightsCard, 'files'> {
  return {
    engineVersion: run.engineVersion,
    createdAt: new Date().toISOString(),
    stage,
    prompts: Object.fromEntries(run.tasks.map((t) => [t.id, t.prompt])),
    ...fields,
    training: {
      photos: describePhotoSource(run.photosDir),
      trainPhotos: run.names.train,
      validationPhotos: run.names.validation,
      steps: progress.step,
      batchSize: run.batchSize,
      patchSize: run.patchSize,
      seconds: Math.round(progress.seconds),
      backend: run.backend,
    },
  };
}
