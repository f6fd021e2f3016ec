import * as path from 'node:path';
import { parseFrameAncestors } from './frame-ancestors';

export const PanelOptions = Symbol('PanelOptions');
/** How the panel pages describe this host to the outside. */
export interface PanelOptions {
  /**
   * The URL browsers reach this host at (e.g. "https://fluxir.example.org"), used in Photopea's
   * configuration. Unset: taken from each request's protocol and Host header.
   */
  readonly publicUrl?: string;
  /**
   * Origins besides this host and Photopea's that may frame the panel (CSP frame-ancestors): the
   * pages that embed Photopea with /photopea/config, e.g. "https://editor.example.org".
   */
  readonly frameAncestors?: readonly string[];
  /** Folder of the built panel (index.html and assets/). */
  readonly distDir: string;
}

/** host/panel/dist, from host/src/panel-server (sources under jest) and host/dist/panel-server alike. */
const PANEL_DIST = path.resolve(__dirname, '..', '..', 'panel', 'dist');

/**
 * The options from the environment: FLUXIR_PUBLIC_URL sets the URL Photopea is told to load,
 * FLUXIR_FRAME_ANCESTORS the origins, besides Photopea's, that may frame the panel.
 */
export function panelOptionsFromEnvironment(env: NodeJS.ProcessEnv = process.env): PanelOptions {
  return { publicUrl: env.FLUXIR_PUBLIC_URL || undefined, frameAncestors: parseFrameAncestors(env.FLUXIR_FRAME_ANCESTORS), distDir: PANEL_DIST };
}
