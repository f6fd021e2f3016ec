/** Photopea's configuration JSON registering the fluxir panel as a plugin (environment.plugins). */
export interface PhotopeaConfig {
  readonly environment: {
    readonly plugins: ReadonlyArray<{
      readonly name: string;
      readonly url: string;
      readonly width: number;
      readonly height: number;
      readonly icon: string;
    }>;
  };
}

/** Panel size Photopea opens the plugin with: an editor side panel, tall enough for the form. */
export const PHOTOPEA_PANEL = { width: 340, height: 720 } as const;

/**
 * `baseUrl` is this host as the browser reaches it, e.g. "http://localhost:7860"; a `token` (for a
 * host that needs one) is passed on to the panel in its address fragment (`#token=`), which the
 * browser never sends to a server; the panel takes it out of the address when it starts.
 */
export function photopeaConfig(baseUrl: string, token?: string): PhotopeaConfig {
  const base = baseUrl.replace(/\/+$/, '');
  const fragment = token ? `#token=${encodeURIComponent(token)}` : '';
  return {
    environment: {
      plugins: [
        {
          name: 'fluxir',
          url: `${base}/photopea${fragment}`,
          width: PHOTOPEA_PANEL.width,
          height: PHOTOPEA_PANEL.height,
          // "===" asks Photopea to tint the (black, transparent) icon to its theme.
          icon: `===${base}/assets/icon.png`,
        },
      ],
    },
  };
}

/** Opening this link starts Photopea with the plugin registered. */
export function photopeaLink(config: PhotopeaConfig): string {
  return `https://www.photopea.com#${encodeURIComponent(JSON.stringify(config))}`;
}
