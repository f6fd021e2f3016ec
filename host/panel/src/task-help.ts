import type { PluginInfo } from '@fluxir/sdk/client';
import { h } from './dom';

/** When to use each task and how to set it; plugins without an entry show their description only. */
const HELP: Readonly<Record<string, string>> = {
  denoise: 'For grain and colour speckles from high ISO or small sensors. One step is the measured best; more steps smooth further and can soften fine texture.',
  superres: 'Enlarges 2 or 4 times. Start from the largest original you have; in Photopea the result opens as a new document.',
  deblur: 'For camera shake, motion and slight missed focus. Strong blur loses detail that cannot come back; lower the strength if edges ring.',
  dehaze: 'For haze, fog and washed-out distant scenes. Lower the strength to keep some atmosphere.',
  derain: 'For rain streaks over a scene. Select the affected area in Photopea to leave the rest untouched.',
  lowlight: 'For dark, underexposed photos: brightens, removes the noise that brightening shows and restores colour.',
  inpaint: 'Paint (or select, in Photopea) what should disappear: a blemish, a wire, a small object. Cover it completely, with a small margin.',
};

/** "About this task": per-plugin help, folded away until asked for. */
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
    const text = plugin ? HELP[plugin.id] : undefined;
    this.element.hidden = !text;
    this.summary.textContent = plugin ? `About ${plugin.title}` : 'About this task';
    this.body.textContent = text ?? '';
  }
}
