import type { PluginInfo } from '@fluxir/sdk/client';
import { h } from './dom';

/** "About this task": the plugin's own help (when to use it, how to set it), folded away until asked for. */
export class TaskHelp {
  readonly element: HTMLDetailsElement;
  private readonly summary: HTMLElement;
  private readonly body: HTMLElement;

  constructor() {
    this.summary = h('summary', {}, 'About this task');
    this.body = h('p', { class: 'hint' });
    this.element = h('details', { class: 'task-help', hidden: true }, this.summary, this.body);
  }

  show(plugin: PluginInfo | undefined): void {
    const text = plugin?.help;
    this.element.hidden = !text;
    this.summary.textContent = plugin ? `About ${plugin.title}` : 'About this task';
    this.body.textContent = text ?? '';
  }
}
