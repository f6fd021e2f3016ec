/** "3 s", "1 min 20 s": the ETA as people read it. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** Decimal units, as the host's own messages use. */
export function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export function formatMegapixels(pixels: number): string {
  if (pixels < 1e6) return `${Math.round(pixels).toLocaleString('en')} pixels`;
  return `${(pixels / 1e6).toFixed(pixels < 1e7 ? 1 : 0)} MP`;
}

/** "superres" -> "Superres", "maxSide" -> "Max side". */
export function humanize(key: string): string {
  const spaced = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
