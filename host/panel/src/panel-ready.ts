/** What a panel loaded by the link page's check (`/photopea?check`) posts to that page. */
export const PANEL_READY = 'fluxir:panel-ready';

export interface PanelReadyMessage {
  readonly type: typeof PANEL_READY;
  /** Plugins the panel got from the host. */
  readonly plugins?: number;
  /** Why the panel could not reach the host. */
  readonly error?: string;
}

/**
 * Tells the link page the panel loaded. Posted only to a parent of this same origin (the link
 * page): inside Photopea nothing is sent, since Photopea runs whatever string it receives.
 */
export function announceReady(message: Omit<PanelReadyMessage, 'type'>): void {
  if (window.parent === window || !new URLSearchParams(location.search).has('check')) return;
  try {
    window.parent.postMessage({ type: PANEL_READY, ...message }, location.origin);
  } catch {
    // A parent of another origin: not the check.
  }
}
