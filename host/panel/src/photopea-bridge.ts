import { panelMessages } from './panel-messages';

/** One reply of Photopea to a script: a string (app.echoToOE) or a file (saveToOE). */
export type PhotopeaReply = string | ArrayBuffer;

export class PhotopeaError extends Error {
  override readonly name = 'PhotopeaError';
}

/**
 * Photopea's live-messaging protocol, from inside a plugin panel: a script goes to the parent
 * window as a string; Photopea answers with zero or more messages and then the string "done".
 * Replies carry no request id, so scripts are sent one at a time, each prefixed with an echo of
 * a unique marker: whatever arrives before that marker (a late reply to a script that timed out)
 * is dropped. Messages from any window but the parent are ignored.
 */
export class PhotopeaBridge {
  private queue: Promise<unknown> = Promise.resolve();
  private counter = 0;
  private current: { marker: string; started: boolean; replies: PhotopeaReply[]; finish: (error?: Error) => void } | undefined;

  constructor(private readonly target: Window = window.parent) {
    window.addEventListener('message', (event) => {
      if (event.source !== this.target) return;
      this.receive(event.data as unknown);
    });
  }

  /** True when the panel runs inside another window (Photopea's plugin frame). */
  get embedded(): boolean {
    return this.target !== window;
  }

  /** Runs a script and gives what it sent back (without the final "done"). */
  run(script: string, timeoutMs = 30_000): Promise<PhotopeaReply[]> {
    const next = this.queue.then(() => this.send(script, timeoutMs));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private send(script: string, timeoutMs: number): Promise<PhotopeaReply[]> {
    if (!this.embedded) return Promise.reject(new PhotopeaError(panelMessages.notInPhotopea()));
    this.counter += 1;
    const marker = `fluxir:${this.counter}:${Date.now()}`;
    return new Promise((resolve, reject) => {
      const replies: PhotopeaReply[] = [];
      const timer = setTimeout(
        () => finish(new PhotopeaError(panelMessages.photopeaSilent(timeoutMs))),
        timeoutMs,
      );
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.current = undefined;
        if (error) reject(error);
        else resolve(replies);
      };
      this.current = { marker, started: false, replies, finish };
      this.target.postMessage(`app.echoToOE(${JSON.stringify(marker)});\n${script}`, '*');
    });
  }

  private receive(data: unknown): void {
    const current = this.current;
    if (!current) return;
    if (!current.started) {
      if (data === current.marker) current.started = true;
      return;
    }
    if (data === 'done') current.finish();
    else if (typeof data === 'string' || data instanceof ArrayBuffer) current.replies.push(data);
  }
}
