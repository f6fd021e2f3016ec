import { FluxirClient } from '@fluxir/sdk/client';
import { PanelApp } from './panel-app';
import type { PanelLimits } from './panel-mode';
import { PanelSession } from './panel-session';
import { PhotopeaMode } from './photopea-mode';
import { StandaloneMode } from './standalone-mode';

/**
 * Entry point. The host writes the mode and its limits on <body> (data-mode, data-max-upload-bytes,
 * data-max-pixels, data-concurrency); a token, when the host needs one, comes from #token= in the address.
 */
function start(): void {
  const body = document.body;
  const limits: PanelLimits = {
    maxUploadBytes: Number(body.dataset.maxUploadBytes) || 25e6,
    maxPixels: Number(body.dataset.maxPixels) || 16e6,
  };
  const session = new PanelSession();
  const token = session.takeToken();
  const client = new FluxirClient(undefined, { token, resumeKey: session.resumeKey });
  // The host hands out a key for this session; a reload presents it to get its jobs back.
  void client.whenSession().then((key) => (session.resumeKey = key));
  const app = new PanelApp(client, session, Number(body.dataset.concurrency) || 1);
  const root = document.getElementById('app') ?? body;
  app.mount(root, (panel) =>
    body.dataset.mode === 'photopea'
      ? new PhotopeaMode(limits)
      : new StandaloneMode(panel.compare, limits, root, {
          error: (message) => panel.showError(message),
          accepted: () => panel.showError(''),
          busy: () => panel.busy,
        }),
  );
  void app.loadPlugins().then(() => app.resumeOpenJob());
}

start();
