export interface EngineStatus {
  readonly ready: boolean;
  readonly version?: string;
  readonly backend?: string;
  readonly error?: string;
}

export const ServerState = Symbol('ServerState');
/** What the running server knows about itself: whether it is stopping, and the engine's status. */
export interface ServerState {
  stopping: boolean;
  engine: EngineStatus;
  readonly hostVersion: string;
}
