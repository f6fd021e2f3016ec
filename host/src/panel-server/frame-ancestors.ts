import { ConfigError } from '../config/load-server-config';

/** Photopea's own origins: the panel is a Photopea plugin, so they may always frame it. */
export const PHOTOPEA_ORIGINS = ['https://www.photopea.com', 'https://photopea.com'] as const;

const ORIGIN = /^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/**
 * FLUXIR_FRAME_ANCESTORS as a list: origins separated by commas or spaces, each an http(s)
 * origin (a leading "*." for subdomains) with no path. Anything else stops the start, named.
 */
export function parseFrameAncestors(value: string | undefined): readonly string[] {
  const origins = (value ?? '').split(/[\s,]+/).filter((origin) => origin.length > 0);
  for (const origin of origins) {
    if (!ORIGIN.test(origin)) {
      throw new ConfigError(`FLUXIR_FRAME_ANCESTORS: "${origin}" is not an origin such as https://editor.example.org (scheme and host, no path)`);
    }
  }
  return origins.map((origin) => origin.toLowerCase());
}

/** The CSP directive: this host, Photopea, and the configured origins. */
export function frameAncestorsDirective(extra: readonly string[] = []): string {
  const origins = new Set<string>([...PHOTOPEA_ORIGINS, ...extra]);
  return `frame-ancestors 'self' ${[...origins].join(' ')}`;
}
