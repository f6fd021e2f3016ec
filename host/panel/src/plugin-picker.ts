import type { PluginInfo } from '@fluxir/sdk/client';
import { h, uid } from './dom';

const REMEMBERED = 'fluxir.panel.plugin';

/** The plugin list as a labelled select: "Denoise 1.0.0", with the chosen one's description below. */
export class PluginPicker {
  readonly element: HTMLElement;
  private readonly select: HTMLSelectElement;
  private readonly description: HTMLElement;
  private plugins: readonly PluginInfo[] = [];
  private readonly listeners = new Set<(plugin: PluginInfo | undefined) => void>();

  constructor() {
    const id = uid('plugin');
    const descriptionId = uid('plugin-description');
    this.select = h('select', { id, name: 'plugin', 'aria-describedby': descriptionId, disabled: true });
    this.select.append(h('option', { value: '' }, 'Loading plugins…'));
    this.description = h('p', { class: 'hint', id: descriptionId, 'aria-live': 'polite' });
    this.element = h('div', { class: 'field' }, h('label', { for: id }, 'Plugin'), this.select, this.description);
    this.select.addEventListener('change', () => this.changed());
  }

  setPlugins(plugins: readonly PluginInfo[]): void {
    this.plugins = plugins;
    this.select.replaceChildren();
    if (plugins.length === 0) {
      this.select.append(h('option', { value: '' }, 'No plugins loaded'));
      this.select.disabled = true;
      this.changed();
      return;
    }
    const remembered = safeStorage()?.getItem(REMEMBERED);
    plugins.forEach((plugin, index) => {
      this.select.append(
        h('option', { value: String(index), selected: keyOf(plugin) === remembered || plugin.id === remembered }, `${plugin.title} ${plugin.version}`),
      );
    });
    this.select.disabled = false;
    this.changed();
  }

  /** Chooses a plugin by id (the newest version listed first wins). */
  choose(id: string): void {
    const index = this.plugins.findIndex((plugin) => plugin.id === id);
    if (index < 0) return;
    this.select.value = String(index);
    this.changed();
  }

  get hasPlugins(): boolean {
    return this.plugins.length > 0;
  }

  get selected(): PluginInfo | undefined {
    return this.select.value === '' ? undefined : this.plugins[Number(this.select.value)];
  }

  onChange(listener: (plugin: PluginInfo | undefined) => void): void {
    this.listeners.add(listener);
  }

  setDisabled(disabled: boolean): void {
    this.select.disabled = disabled || this.plugins.length === 0;
  }

  private changed(): void {
    const plugin = this.selected;
    this.description.textContent = plugin ? plugin.description : '';
    if (plugin) safeStorage()?.setItem(REMEMBERED, keyOf(plugin));
    for (const listener of this.listeners) listener(plugin);
  }
}

function keyOf(plugin: PluginInfo): string {
  return `${plugin.id}@${plugin.version}`;
}

/** Storage can be switched off (or throw in sandboxed frames); the panel works without it. */
function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
