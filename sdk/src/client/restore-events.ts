import type { ImageMime, PreviewOptions } from '../protocol/socket-events';
import type { ImageSource } from './binary';

/** What `restore` reports while a job runs, in order: queued, started, progress/preview, result. */
export type RestoreEvent =
  | { readonly type: 'queued'; readonly jobId: string; readonly position: number }
  | {
      readonly type: 'started';
      readonly jobId: string;
      readonly plugin: string;
      readonly version: string;
      readonly steps: number;
      readonly width: number;
      readonly height: number;
    }
  | {
      readonly type: 'progress';
      readonly jobId: string;
      readonly step: number;
      readonly steps: number;
      readonly tile: number;
      readonly tiles: number;
      /** 0..1 */
      readonly fraction: number;
      readonly etaMs: number;
    }
  | {
      readonly type: 'preview';
      readonly jobId: string;
      readonly step: number;
      readonly steps: number;
      /** The sampling time reached after this step (1 = noise side, 0 = clean). */
      readonly t: number;
      readonly mime: 'image/jpeg' | 'image/webp';
      readonly width: number;
      readonly height: number;
      readonly data: Uint8Array;
    }
  | ({ readonly type: 'result' } & RestoreResult);

export type ProgressUpdate = Extract<RestoreEvent, { type: 'progress' }>;
export type PreviewFrame = Extract<RestoreEvent, { type: 'preview' }>;

export interface RestoreResult {
  readonly jobId: string;
  readonly plugin: string;
  readonly version: string;
  readonly steps: number;
  readonly mime: ImageMime;
  readonly width: number;
  readonly height: number;
  /** Engine milliseconds. */
  readonly ms: number;
  readonly data: Uint8Array;
}

export interface RestoreOptions {
  /** Plugin id, e.g. "denoise". */
  readonly plugin: string;
  /** A semver range pinning the plugin version (default: the newest loaded). */
  readonly version?: string;
  /** White = fill; required by inpaint. */
  readonly mask?: ImageSource;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly steps?: number;
  readonly seed?: number;
  readonly preview?: PreviewOptions;
  readonly resultMime?: ImageMime;
  /** Aborting cancels the job on the host; the result promise rejects with code E_ABORTED. */
  readonly signal?: AbortSignal;
  /** Called for every event (the same ones the async iterator yields). */
  readonly onEvent?: (event: RestoreEvent) => void;
  readonly onProgress?: (progress: ProgressUpdate) => void;
  readonly onPreview?: (frame: PreviewFrame) => void;
}
