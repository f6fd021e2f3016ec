import { h, uid } from './dom';

/** One result of this session, as shown and downloaded. */
export interface HistoryEntry {
  readonly blob: Blob;
  readonly caption: string;
  readonly fileName: string;
}

/**
 * The results of this session, newest last: pick one to compare and download it again, or undo
 * the latest to go back to the one before.
 */
export class ResultHistory {
  readonly element: HTMLElement;
  private readonly select: HTMLSelectElement;
  private readonly undoButton: HTMLButtonElement;
  private entries: HistoryEntry[] = [];
  private readonly listeners = new Set<(entry: HistoryEntry | undefined) => void>();

  constructor() {
    const id = uid('history');
    this.select = h('select', { id, name: 'history' });
    this.undoButton = h('button', { type: 'button', class: 'secondary' }, 'Undo result');
    this.element = h('div', { class: 'field history', hidden: true }, h('label', { for: id }, 'Results'), h('div', { class: 'row' }, this.select, this.undoButton));
    this.select.addEventListener('change', () => this.notify());
    this.undoButton.addEventListener('click', () => this.undo());
  }

  add(entry: HistoryEntry): void {
    this.entries.push(entry);
    this.render(this.entries.length - 1);
  }

  clear(): void {
    this.entries = [];
    this.render(-1);
  }

  /** Replaces the newest entry (its strength changed). */
  replaceLatest(entry: HistoryEntry): void {
    if (this.entries.length === 0) return this.add(entry);
    this.entries[this.entries.length - 1] = entry;
    this.render(Number(this.select.value));
  }

  get current(): HistoryEntry | undefined {
    return this.entries[Number(this.select.value)];
  }

  onSelect(listener: (entry: HistoryEntry | undefined) => void): void {
    this.listeners.add(listener);
  }

  setDisabled(disabled: boolean): void {
    this.select.disabled = disabled;
    this.undoButton.disabled = disabled;
  }

  private undo(): void {
    this.entries.pop();
    this.render(this.entries.length - 1);
    this.notify();
  }

  private render(selected: number): void {
    this.select.replaceChildren(
      ...this.entries.map((entry, index) => h('option', { value: String(index), selected: index === selected }, `${index + 1}. ${entry.caption}`)),
    );
    this.element.hidden = this.entries.length === 0;
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.current);
  }
}
