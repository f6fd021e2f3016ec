import type { PluginInfo, RestoreResult } from '@fluxir/sdk/client';
import type { CompareView } from './compare-view';
import { h } from './dom';
import { blendWithOriginal, StrengthControl } from './result-blend';
import { type HistoryEntry, ResultHistory } from './result-history';

/**
 * Where results end up in the panel: blended with the original at the chosen strength, shown over
 * it, kept in the session's history and offered for download. A new strength blends the latest
 * result again while `canReblend()` says the result still belongs to the panel.
 */
export class ResultOutput {
  readonly strength = new StrengthControl();
  readonly history = new ResultHistory();
  readonly downloadRow: HTMLElement;
  private readonly download = h('a', { class: 'button secondary', hidden: true }, 'Download result');
  private downloadUrl: string | undefined;
  /** The latest result and the original it restored, to blend again when the strength changes. */
  private latest: { original: Blob; restored: Blob; caption: string; fileName: string } | undefined;

  constructor(
    private readonly compare: CompareView,
    private readonly canReblend: () => boolean,
  ) {
    this.downloadRow = h('div', { class: 'row' }, this.download);
    this.strength.onChange(() => void this.reblend());
    this.history.onSelect((entry) => this.show(entry));
    compare.onBeforeChange(() => {
      this.history.clear();
      this.latest = undefined;
    });
  }

  /** Shows a result (blended when the original is known) and returns the image to hand on. */
  async add(restored: Blob, original: Blob | undefined, plugin: PluginInfo, result: RestoreResult, name: string): Promise<Blob> {
    const caption = `Restored with ${plugin.title} ${result.version}`;
    const fileName = downloadName(name, plugin, result);
    const strength = original ? this.strength.value : 1;
    const blob = original ? await blendWithOriginal(original, restored, strength) : restored;
    this.latest = original ? { original, restored, caption, fileName } : undefined;
    const entry = { blob, caption: withStrength(caption, strength), fileName };
    this.history.add(entry);
    this.show(entry);
    return blob;
  }

  /** No result on offer (a new run starts). */
  clear(): void {
    this.setDownload(undefined, '');
  }

  setDisabled(disabled: boolean): void {
    this.history.setDisabled(disabled);
  }

  private show(entry: HistoryEntry | undefined): void {
    this.compare.setAfter(entry?.blob, entry?.caption ?? '');
    this.setDownload(entry?.blob, entry?.fileName ?? '');
  }

  private async reblend(): Promise<void> {
    const latest = this.latest;
    if (!latest || !this.canReblend()) return;
    const strength = this.strength.value;
    const blob = await blendWithOriginal(latest.original, latest.restored, strength);
    if (this.latest !== latest || strength !== this.strength.value) return;
    const entry = { blob, caption: withStrength(latest.caption, strength), fileName: latest.fileName };
    this.history.replaceLatest(entry);
    this.show(entry);
  }

  private setDownload(blob: Blob | undefined, name: string): void {
    if (this.downloadUrl) URL.revokeObjectURL(this.downloadUrl);
    this.downloadUrl = blob ? URL.createObjectURL(blob) : undefined;
    this.download.hidden = !blob;
    if (this.downloadUrl) {
      this.download.href = this.downloadUrl;
      this.download.download = name;
    } else this.download.removeAttribute('href');
  }
}

function withStrength(caption: string, strength: number): string {
  return strength < 1 ? `${caption}, at ${Math.round(strength * 100)}% strength` : caption;
}

function downloadName(original: string, plugin: PluginInfo, result: RestoreResult): string {
  const base = original.replace(/\.[^.]+$/, '') || 'image';
  const extension = result.mime === 'image/jpeg' ? 'jpg' : result.mime.slice('image/'.length);
  return `${base}-${plugin.id}.${extension}`;
}
