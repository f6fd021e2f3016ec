import { panelMessages } from './panel-messages';
import { PANEL_READY, type PanelReadyMessage } from './panel-ready';

/** How long the panel may take to load and reach the host before the check says it failed. */
const CHECK_TIMEOUT_MS = 8_000;

/**
 * The /photopea/link page's panel check: the panel, loaded in a frame as Photopea will, posts
 * PANEL_READY to this page once it has its plugin list; no message in time means it did not load.
 */
function check(): void {
  const status = document.getElementById('panel-check');
  const probe = document.getElementById('panel-probe');
  if (!status || !(probe instanceof HTMLIFrameElement)) return;
  const show = (state: 'ok' | 'failed', text: string) => {
    status.dataset.state = state;
    status.textContent = text;
  };
  const timer = setTimeout(() => show('failed', panelMessages.panelCheckFailed(CHECK_TIMEOUT_MS)), CHECK_TIMEOUT_MS);
  window.addEventListener('message', (event) => {
    if (event.origin !== location.origin || event.source !== probe.contentWindow) return;
    const data = event.data as Partial<PanelReadyMessage> | null;
    if (data?.type !== PANEL_READY) return;
    clearTimeout(timer);
    if (data.error) show('failed', panelMessages.panelCheckHostError(data.error));
    else show('ok', panelMessages.panelCheckPassed(data.plugins ?? 0));
  });
}

check();
