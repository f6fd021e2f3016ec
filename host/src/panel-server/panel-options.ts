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
