import { type FluxirClient, FluxirClientError, type PluginInfo, type RestoreResult } from '@fluxir/sdk/client';
import { CompareView } from './compare-view';
import { h } from './dom';
import { ParamsForm } from './params-form';
import { type PanelMode, UserError } from './panel-mode';
import { PluginPicker } from './plugin-picker';
import { ProgressView } from './progress-view';
import { panelMessages } from './panel-messages';

/**
 * The panel: plugin, settings, image, Restore/Cancel, progress, before/after and download. Where
 * the image comes from and where the result goes is the mode's business.
 */
export class PanelApp {
  readonly compare = new CompareView();
  private readonly picker = new PluginPicker();
  private readonly form = new ParamsForm();
  private readonly progress = new ProgressView();
  private readonly restoreButton = h('button', { type: 'button', class: 'primary', disabled: true }, 'Restore');
  private readonly cancelButton = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Cancel');
  private readonly download = h('a', { class: 'button secondary', hidden: true }, 'Download result');
  private readonly alert = h('p', { class: 'alert', role: 'alert' });
  private readonly connection = h('span', { class: 'connection', role: 'status' }, 'Connecting…');
  private mode!: PanelMode;
  private running: AbortController | undefined;
  private downloadUrl: string | undefined;
  private loading: Promise<void> | undefined;

  constructor(private readonly client: FluxirClient) {}

  mount(root: HTMLElement, createMode: (app: PanelApp) => PanelMode): void {
    this.mode = createMode(this);
    this.restoreButton.textContent = this.mode.restoreLabel;
    this.compare.setEmptyText(this.mode.emptyText);
    const section = (title: string | undefined, ...children: HTMLElement[]) =>
      h('section', {}, title ? h('h2', {}, title) : null, ...children);
    root.replaceChildren(
      h('header', { class: 'bar' }, h('h1', {}, 'fluxir'), this.connection),
      h(
        'div',
        { class: 'layout' },
        h(
          'div',
          { class: 'controls' },
          section(undefined, this.picker.element),
          section('Image', this.mode.controls),
          section('Settings', this.form.element),
          h('div', { class: 'row actions' }, this.restoreButton, this.cancelButton),
          this.progress.element,
          this.alert,
        ),
        h('div', { class: 'view' }, this.compare.element, h('div', { class: 'row' }, this.download)),
      ),
    );
    this.picker.onChange((plugin) => this.pluginChanged(plugin));
    this.mode.onReadyChange(() => this.updateButtons());
    this.restoreButton.addEventListener('click', () => void this.restore());
    this.cancelButton.addEventListener('click', () => this.running?.abort());
    this.client.onConnectionChange((state) => {
      this.showConnection(state);
      // A panel opened while the host was down fills its list once the host is back.
      if (state === 'connected' && !this.picker.hasPlugins) void this.loadPlugins();
    });
    this.client.onShutdown(() => this.showError(panelMessages.hostStopping()));
  }

  showError(message: string): void {
    this.alert.textContent = message;
  }

  /** Fetches the plugin list (once at a time). */
  loadPlugins(): Promise<void> {
    this.loading ??= this.fetchPlugins().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async fetchPlugins(): Promise<void> {
    try {
      await this.client.connected();
      this.showConnection('connected');
      this.picker.setPlugins(await this.client.plugins());
      this.alert.textContent = '';
    } catch (error) {
      this.showConnection('closed');
      this.showError(describe(error));
    }
  }

  private pluginChanged(plugin: PluginInfo | undefined): void {
    this.form.show(plugin);
    this.mode.pluginChanged(plugin);
    this.updateButtons();
  }

  private updateButtons(): void {
    const busy = this.running !== undefined;
    this.restoreButton.disabled = busy || !this.picker.selected || !this.mode.ready;
    this.restoreButton.setAttribute('aria-busy', String(busy));
    this.cancelButton.hidden = !busy;
    this.picker.setDisabled(busy);
    this.form.setDisabled(busy);
  }

  private async restore(): Promise<void> {
    const plugin = this.picker.selected;
    if (!plugin || this.running) return;
    const abort = new AbortController();
    this.running = abort;
    this.updateButtons();
    this.alert.textContent = '';
    this.setDownload(undefined, '');
    try {
      this.progress.message('Preparing the image…', true);
      const input = await this.mode.prepare(plugin, this.compare);
      if (abort.signal.aborted) throw new FluxirClientError('E_ABORTED', 'cancelled');
      this.progress.message('Uploading…', true);
      const result = await this.run(plugin, input.image, input.mask, abort.signal);
      const blob = new Blob([result.data as Uint8Array<ArrayBuffer>], { type: result.mime });
      this.compare.setAfter(blob, `Restored with ${plugin.title} ${result.version}`);
      this.setDownload(blob, downloadName(input.name, plugin, result));
      this.progress.done(await this.mode.deliver(result, plugin, blob));
    } catch (error) {
      if (error instanceof FluxirClientError && error.code === 'E_ABORTED') this.progress.reset('Cancelled.');
      else {
        this.progress.reset('');
        this.showError(describe(error));
      }
    } finally {
      this.running = undefined;
      this.updateButtons();
      this.restoreButton.focus();
    }
  }

  private async run(plugin: PluginInfo, image: Blob, mask: Blob | undefined, signal: AbortSignal): Promise<RestoreResult> {
    const job = this.client.restore(image, {
      plugin: plugin.id,
      version: plugin.version,
      mask,
      params: this.form.params(),
      steps: this.form.steps(),
      preview: { maxSide: 768 },
      signal,
    });
    for await (const event of job) {
      this.progress.element.dataset.jobId = event.jobId;
      if (event.type === 'queued') this.progress.message(event.position === 0 ? 'Starting…' : `Waiting: ${event.position} job(s) ahead`, true);
      else if (event.type === 'started') this.progress.start(`Restoring with ${plugin.title}…`);
      else if (event.type === 'progress') this.progress.progress(event);
      else if (event.type === 'preview') {
        const frame = new Blob([event.data as Uint8Array<ArrayBuffer>], { type: event.mime });
        this.compare.setAfter(frame, `Preview after step ${event.step} of ${event.steps}`);
      }
    }
    return job.result;
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

  private showConnection(state: 'connected' | 'reconnecting' | 'closed'): void {
    this.connection.textContent = state === 'connected' ? 'Connected' : state === 'reconnecting' ? 'Reconnecting…' : 'Offline';
    this.connection.dataset.state = state;
  }
}

function downloadName(original: string, plugin: PluginInfo, result: RestoreResult): string {
  const base = original.replace(/\.[^.]+$/, '') || 'image';
  const extension = result.mime === 'image/jpeg' ? 'jpg' : result.mime.slice('image/'.length);
  return `${base}-${plugin.id}.${extension}`;
}

function describe(error: unknown): string {
  if (error instanceof UserError) return error.message;
  if (error instanceof FluxirClientError) {
    if (error.code === 'E_UNAUTHORIZED') return panelMessages.needsToken();
    return `${error.message} (${error.code})`;
  }
  return error instanceof Error ? error.message : String(error);
}
