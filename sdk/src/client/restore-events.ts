import type { ImageMime, PreviewEvent, PreviewOptions, ProgressEvent, QueuedEvent, ResultEvent, StartedEvent } from '../protocol/socket-events';
import type { ImageSource } from './binary';

/**
 * The protocol's job events as a client sees them: tagged with `type`, without the replay sequence
 * number, and with binary data as a Uint8Array whatever socket.io delivered.
 */
type ClientEvent<Type extends string, Event, Dropped extends keyof Event = never> = { readonly type: Type } & Omit<Event, 'seq' | Dropped>;

/** What `restore` reports while a job runs, in order: queued, started, progress/preview, result. */
export type RestoreEvent =
  | ClientEvent<'queued', QueuedEvent>
  | ClientEvent<'started', StartedEvent, 'schedule'>
  | ClientEvent<'progress', ProgressEvent>
  | (ClientEvent<'preview', PreviewEvent, 'data'> & { readonly data: Uint8Array })
  | ({ readonly type: 'result' } & RestoreResult);

export type ProgressUpdate = Extract<RestoreEvent, { type: 'progress' }>;
export type PreviewFrame = Extract<RestoreEvent, { type: 'preview' }>;

export type RestoreResult = Omit<ResultEvent, 'seq' | 'data'> & { readonly data: Uint8Array };

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
