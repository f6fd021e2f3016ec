import { type FluxirClient, FluxirClientError, type PluginInfo, type RestoreJob } from '@fluxir/sdk/client';
import { CompareView } from './compare-view';
import { h } from './dom';
import { OutputOptions } from './output-options';
import { ParamsForm } from './params-form';
import type { PanelMode } from './panel-mode';
import type { PanelSession } from './panel-session';
import { PluginPicker } from './plugin-picker';
import { announceReady } from './panel-ready';
import { ProgressView } from './progress-view';
import { TaskHelp } from './task-help';
import { blobOfDataUrl, readAsDataUrl } from './data-url';
import { describeError } from './describe-error';
import { ResultOutput } from './result-output';
import { panelMessages } from './panel-messages';

/** What one run delivers to: the plugin, the download's name, where the result goes. */
interface RunTarget {
  readonly plugin: PluginInfo;
  readonly name: string;
  /** False for a job re-attached after a reload: its result is shown, not handed to the mode. */
  readonly deliver: boolean;
}

/**
 * The panel: plugin, settings, image, Restore/Cancel, progress, before/after and download. Where
 * the image comes from and where the result goes is the mode's business.
 */
export class PanelApp {
  readonly compare = new CompareView();
  private readonly picker = new PluginPicker();
  private readonly form = new ParamsForm();
  private readonly output = new OutputOptions();
  private readonly help = new TaskHelp();
  private readonly results: ResultOutput;
  private readonly progress: ProgressView;
  private readonly restoreButton = h('button', { type: 'button', class: 'primary', disabled: true, 'aria-keyshortcuts': 'Control+Enter' }, 'Restore');
  private readonly cancelButton = h('button', { type: 'button', class: 'secondary', hidden: true, 'aria-keyshortcuts': 'Escape' }, 'Cancel');
  private readonly alert = h('p', { class: 'alert', role: 'alert' });
  private readonly connection = h('span', { class: 'connection', role: 'status' }, 'Connecting…');
  private mode!: PanelMode;
  private running: AbortController | undefined;
  private loading: Promise<void> | undefined;
  private connectionAlert = false;

  constructor(
    private readonly client: FluxirClient,
    private readonly session: PanelSession,
    /** Jobs the host runs at once: a waiting job has that many running ahead of it. */
    concurrency = 1,
  ) {
    this.progress = new ProgressView(concurrency);
    this.results = new ResultOutput(this.compare, () => !this.running && this.mode.keepsResult);
  }

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
          section(undefined, this.picker.element, this.help.element),
          section('Image', this.mode.controls),
          section('Settings', this.form.element, this.results.strength.element, this.output.element),
          h('div', { class: 'row actions' }, this.restoreButton, this.cancelButton),
          this.progress.element,
          this.alert,
        ),
        h('div', { class: 'view' }, this.compare.element, this.results.history.element, this.results.downloadRow),
      ),
    );
    this.picker.onChange((plugin) => this.pluginChanged(plugin));
    this.mode.onReadyChange(() => this.updateButtons());
    this.restoreButton.addEventListener('click', () => void this.restore());
    this.cancelButton.addEventListener('click', () => this.cancel());
    document.addEventListener('keydown', (event) => this.shortcut(event));
    this.client.onConnectionChange((state) => {
      this.showConnection(state);
      // A panel opened while the host was down fills its list once the host is back.
      if (state === 'connected' && !this.picker.hasPlugins) void this.loadPlugins();
    });
    this.client.onShutdown(() => this.showError(panelMessages.hostStopping()));
  }

  /** A job is being prepared, runs or is delivered: the image and the settings are locked. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  showError(message: string): void {
    this.alert.textContent = message;
  }

  /** Fetches the plugin list (once at a time). */
  loadPlugins(): Promise<void> {
    this.loading ??= this.fetchPlugins().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** After a reload: follows the job this tab had running, if the host still has it. */
  async resumeOpenJob(): Promise<void> {
    const open = this.session.openJob;
    if (!open || this.running) return;
    const jobs = await this.client
      .whenSession()
      .then(() => this.client.jobList())
      .catch(() => undefined);
    // Meanwhile the user may have started a job of their own: it wins.
    if (!jobs || this.running) return;
    const listed = jobs.find((job) => job.jobId === open.jobId);
    if (!listed || listed.status === 'failed' || listed.status === 'cancelled') {
      this.session.rememberJob(undefined);
      if (!listed) this.showError(panelMessages.jobGone());
      return;
    }
    this.picker.choose(open.pluginId);
    const plugin = this.picker.selected;
    if (!plugin) return;
    if (open.before) this.compare.setBefore(blobOfDataUrl(open.before), open.width, open.height, open.name);
    const abort = this.begin();
    try {
      this.progress.message(panelMessages.reattached(), true);
      await this.follow(this.client.attach(open.jobId, { signal: abort.signal }), { plugin, name: open.name, deliver: false });
    } catch (error) {
      this.failed(error);
    } finally {
      this.end();
    }
  }

  private async fetchPlugins(): Promise<void> {
    try {
      await this.client.connected();
      this.showConnection('connected');
      const plugins = await this.client.plugins();
      this.picker.setPlugins(plugins);
      // Only the error of an earlier failed attempt goes; other messages stay.
      if (this.connectionAlert) this.alert.textContent = '';
      this.connectionAlert = false;
      announceReady({ plugins: plugins.length });
    } catch (error) {
      this.showConnection('closed');
      this.showError(describeError(error));
      this.connectionAlert = true;
      announceReady({ error: describeError(error) });
    }
  }

  private pluginChanged(plugin: PluginInfo | undefined): void {
    this.form.show(plugin);
    this.help.show(plugin);
    this.mode.pluginChanged(plugin);
    this.updateButtons();
  }

  private updateButtons(): void {
    const busy = this.busy;
    this.restoreButton.disabled = busy || !this.picker.selected || !this.mode.ready;
    this.restoreButton.setAttribute('aria-busy', String(busy));
    this.cancelButton.hidden = !busy;
    this.picker.setDisabled(busy);
    this.form.setDisabled(busy);
    this.output.setDisabled(busy);
    this.results.setDisabled(busy);
    this.mode.setBusy?.(busy);
  }

  private shortcut(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !this.restoreButton.disabled) {
      event.preventDefault();
      void this.restore();
    } else if (event.key === 'Escape' && this.running) {
      event.preventDefault();
      this.cancel();
    }
  }

  private cancel(): void {
    this.running?.abort();
  }

  private begin(): AbortController {
    const abort = new AbortController();
    this.running = abort;
    this.updateButtons();
    this.alert.textContent = '';
    this.results.clear();
    return abort;
  }

  private end(): void {
    this.running = undefined;
    this.updateButtons();
  }

  private async restore(): Promise<void> {
    const plugin = this.picker.selected;
    if (!plugin || this.running) return;
    const abort = this.begin();
    try {
      this.progress.message('Preparing the image…', true);
      const input = await this.mode.prepare(plugin, this.compare);
      if (abort.signal.aborted) throw new FluxirClientError('E_ABORTED', 'cancelled');
      this.progress.message('Uploading…', true);
      const job = this.client.restore(input.image, {
        plugin: plugin.id,
        version: plugin.version,
        mask: input.mask,
        params: this.form.params(),
        steps: this.form.steps(),
        ...this.output.options(),
        preview: { maxSide: 768 },
        signal: abort.signal,
      });
      await this.follow(job, { plugin, name: input.name, deliver: true }, input.image);
    } catch (error) {
      this.failed(error);
    } finally {
      this.end();
      this.restoreButton.focus();
    }
  }

  /** Shows a job's events until its result, which it offers for download and hands to the mode. */
  private async follow(job: RestoreJob, target: RunTarget, original?: Blob): Promise<void> {
    const { plugin } = target;
    for await (const event of job) {
      this.progress.element.dataset.jobId = event.jobId;
      if (event.type === 'queued') {
        if (original) void this.remember(event.jobId, plugin, target.name, original);
        this.progress.queued(event.position);
      } else if (event.type === 'started') this.progress.start(`Restoring with ${plugin.title}…`);
      else if (event.type === 'progress') this.progress.progress(event);
      else if (event.type === 'preview') {
        const frame = new Blob([event.data as Uint8Array<ArrayBuffer>], { type: event.mime });
        if (!this.compare.hasBefore) this.compare.setBefore(frame, event.width, event.height, target.name);
        this.compare.setAfter(frame, panelMessages.previewCaption(event));
      }
    }
    const result = await job.result;
    this.session.rememberJob(undefined);
    const restored = new Blob([result.data as Uint8Array<ArrayBuffer>], { type: result.mime });
    if (!this.compare.hasBefore) this.compare.setBefore(restored, result.width, result.height, target.name);
    const blob = await this.results.add(restored, original, plugin, result, target.name);
    this.progress.done(target.deliver ? await this.mode.deliver(result, plugin, blob) : panelMessages.reattachedDone(result));
  }

  private failed(error: unknown): void {
    if (error instanceof FluxirClientError && error.code === 'E_ABORTED') this.progress.reset('Cancelled.');
    else {
      this.progress.reset('');
      this.showError(describeError(error));
    }
    this.session.rememberJob(undefined);
  }

  private async remember(jobId: string, plugin: PluginInfo, name: string, original: Blob): Promise<void> {
    if (this.session.openJob?.jobId === jobId) return;
    const size = this.compare.imageSize;
    // A data URL of up to ~3 MB fits sessionStorage; a larger original is not kept.
    const before = original.size < 2_000_000 ? await readAsDataUrl(original) : undefined;
    this.session.rememberJob({ jobId, pluginId: plugin.id, name, before, width: size?.width, height: size?.height });
  }

  private showConnection(state: 'connected' | 'reconnecting' | 'closed'): void {
    this.connection.textContent = state === 'connected' ? 'Connected' : state === 'reconnecting' ? 'Reconnecting…' : 'Offline';
    this.connection.dataset.state = state;
  }
}
