export * from './binary';
export * from './client-errors';
export * from './fluxir-client';
export * from './restore-events';
export { RestoreJob } from './restore-job';
export type {
  Binary,
  ImageMime,
  JobStatus,
  JobSummary,
  PluginInfo,
  PreviewOptions,
  StepBudgetInfo,
} from '../protocol/socket-events';
export { PROTOCOL_VERSION } from '../protocol/socket-events';
