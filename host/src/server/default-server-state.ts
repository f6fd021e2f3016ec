import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { injectable } from 'inversify';

export interface EngineStatus {
  readonly ready: boolean;
  readonly version?: string;
  readonly backend?: string;
  readonly error?: string;
}

/** What the running server knows about itself: whether it is stopping, and the engine's status. */
@injectable()
export class ServerState {
  stopping = false;
  engine: EngineStatus = { ready: false };
  readonly hostVersion: string = readHostVersion();
}

function readHostVersion(): string {
  try {
    const file = path.resolve(__dirname, '../../package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
