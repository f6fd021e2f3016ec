import { FluxirClient } from '@fluxir/sdk/client';
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
  const client = new FluxirClient(undefined, { token, resumeKey: storedResumeKey() });
  void client.whenSession().then(storeResumeKey);
  const app = new PanelApp(client);
  const root = document.getElementById('app') ?? body;
  app.mount(root, (panel) =>
    body.dataset.mode === 'photopea'
      ? new PhotopeaMode(limits)
      : new StandaloneMode(panel.compare, limits, root, (message) => panel.showError(message)),
  );
  void app.loadPlugins();
}

const RESUME_KEY = 'fluxir.panel.resumeKey';

/** The key the host issued to this tab, kept across reloads, so the host gives a reloaded panel its jobs back. */
function storedResumeKey(): string | undefined {
  try {
    return sessionStorage.getItem(RESUME_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function storeResumeKey(resumeKey: string): void {
  try {
    sessionStorage.setItem(RESUME_KEY, resumeKey);
  } catch {
    // Without storage (private mode, say) a reload starts a new session.
  }
}

start();
