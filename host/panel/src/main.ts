import { FluxirClient, newClientId } from '@fluxir/sdk/client';
import { PanelApp } from './panel-app';
import type { PanelLimits } from './panel-mode';
import { PhotopeaMode } from './photopea-mode';
import { StandaloneMode } from './standalone-mode';

/**
 * Entry point. The host writes the mode and its limits on <body> (data-mode, data-max-upload-bytes,
 * data-max-pixels); a token, when the host needs one, comes from ?token= in the address.
 */
function start(): void {
  const body = document.body;
  const limits: PanelLimits = {
    maxUploadBytes: Number(body.dataset.maxUploadBytes) || 25e6,
    maxPixels: Number(body.dataset.maxPixels) || 16e6,
  };
  const token = new URLSearchParams(location.search).get('token') ?? undefined;
  const client = new FluxirClient(undefined, { token, clientId: sessionClientId() });
  const app = new PanelApp(client);
  const root = document.getElementById('app') ?? body;
  app.mount(root, (panel) =>
    body.dataset.mode === 'photopea'
      ? new PhotopeaMode(limits)
      : new StandaloneMode(panel.compare, limits, root, (message) => panel.showError(message)),
  );
  void app.loadPlugins();
}

/** One id per browser tab, kept across reloads, so the host can give a reloaded panel its jobs back. */
function sessionClientId(): string | undefined {
  try {
    const stored = sessionStorage.getItem('fluxir.panel.clientId');
    if (stored) return stored;
    const id = newClientId();
    sessionStorage.setItem('fluxir.panel.clientId', id);
    return id;
  } catch {
    return undefined;
  }
}

start();
