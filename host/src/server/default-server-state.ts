import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { injectable } from 'inversify';
import type { EngineStatus, ServerState } from './server-state.interface';

@injectable()
export class DefaultServerState implements ServerState {
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
