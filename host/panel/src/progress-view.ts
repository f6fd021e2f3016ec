import type { ProgressUpdate } from '@fluxir/sdk/client';
import { h } from './dom';
import { formatDuration } from './format';
import { panelMessages } from './panel-messages';

/** The progress bar and its text ("Step 3 of 8 · about 4 s left"), announced politely. */
export class ProgressView {
  readonly element: HTMLElement;
  private readonly bar: HTMLProgressElement;
  private readonly text: HTMLElement;
  private startedAt = 0;

  constructor(private readonly concurrency = 1) {
    this.bar = h('progress', { max: 1, value: 0, 'aria-label': 'Restoration progress' });
    this.text = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.element = h('div', { class: 'progress' }, this.bar, this.text);
    this.reset('');
  }

  reset(message: string): void {
    this.bar.value = 0;
    this.bar.hidden = true;
    this.startedAt = 0;
    this.text.textContent = message;
  }

  /**
   * Where the job waits: `position` jobs are queued before it, and while it waits the host's
   * `concurrency` slots are all taken by running jobs.
   */
  queued(position: number): void {
    const ahead = position + this.concurrency;
    this.message(panelMessages.waiting(ahead, this.concurrency), true);
  }

  /** The job began running: the pace (and so the ETA when the host gives none) counts from here. */
  start(text: string): void {
    this.startedAt = performance.now();
    this.message(text, true);
  }

  message(text: string, busy = false): void {
    this.text.textContent = text;
    if (busy) {
      this.bar.hidden = false;
      this.bar.removeAttribute('value');
    }
  }

  progress(update: ProgressUpdate): void {
    this.bar.hidden = false;
    this.bar.value = update.fraction;
    const now = performance.now();
    if (this.startedAt === 0) this.startedAt = now;
    // The host's estimate when it gives one, else the pace seen so far.
    const etaMs = update.etaMs > 0 ? update.etaMs : ((now - this.startedAt) / update.fraction) * (1 - update.fraction);
    const tiles = update.tiles > 1 ? `, tile ${update.tile} of ${update.tiles}` : '';
    const eta = update.fraction < 1 && update.fraction > 0 ? ` · about ${formatDuration(etaMs)} left` : '';
    this.text.textContent = `Step ${update.step} of ${update.steps}${tiles}${eta}`;
  }

  done(text: string): void {
    this.bar.hidden = false;
    this.bar.value = 1;
    this.text.textContent = text;
  }
}
