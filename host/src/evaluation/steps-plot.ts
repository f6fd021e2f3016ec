import { meanOverTasks, type AblationPoint } from './step-ablation';

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const PANEL = { width: 300, height: 210, left: 44, right: 10, top: 26, bottom: 30 };
const COLUMNS = 4;

/**
 * An SVG of PSNR against step count (log2 axis): one panel for the mean over tasks and one per
 * task, one line per variant. Self-contained (no fonts or scripts from elsewhere).
 */
export function stepsPlotSvg(points: readonly AblationPoint[], title: string): string {
  const panels = [{ task: 'mean over tasks', points: meanOverTasks(points) }];
  for (const task of [...new Set(points.map((p) => p.task))]) panels.push({ task, points: points.filter((p) => p.task === task) });
  const variants = [...new Set(points.map((p) => p.variant))];
  const rows = Math.ceil(panels.length / COLUMNS);
  const width = COLUMNS * PANEL.width;
  const legendHeight = 24;
  const height = 30 + legendHeight + rows * PANEL.height;
  const body = panels.map((panel, i) =>
    drawPanel(panel.task, panel.points, variants, (i % COLUMNS) * PANEL.width, 30 + legendHeight + Math.floor(i / COLUMNS) * PANEL.height),
  );
  const legend = variants.map((v, i) => {
    const x = 10 + i * 230;
    return `<line x1="${x}" y1="42" x2="${x + 24}" y2="42" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="2.5"/><text x="${x + 30}" y="46">${escape(v)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${escape(title)}</text>`,
    ...legend,
    ...body,
    '</svg>',
  ].join('\n');
}

function drawPanel(task: string, points: readonly AblationPoint[], variants: readonly string[], x0: number, y0: number): string {
  const steps = [...new Set(points.map((p) => p.steps))].sort((a, b) => a - b);
  const values = points.map((p) => p.psnr);
  const lo = Math.floor(Math.min(...values) * 2) / 2 - 0.25;
  const hi = Math.ceil(Math.max(...values) * 2) / 2 + 0.25;
  const plotW = PANEL.width - PANEL.left - PANEL.right;
  const plotH = PANEL.height - PANEL.top - PANEL.bottom;
  const maxLog = Math.log2(Math.max(...steps, 2));
  const sx = (k: number) => x0 + PANEL.left + (Math.log2(k) / maxLog) * plotW;
  const sy = (v: number) => y0 + PANEL.top + (1 - (v - lo) / (hi - lo)) * plotH;
  const parts = [
    `<text x="${x0 + PANEL.left}" y="${y0 + 16}" font-weight="bold">${escape(task)}</text>`,
    `<rect x="${x0 + PANEL.left}" y="${y0 + PANEL.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  ];
  for (const k of steps) {
    parts.push(`<text x="${sx(k)}" y="${y0 + PANEL.height - 14}" text-anchor="middle">${k}</text>`);
  }
  parts.push(`<text x="${x0 + PANEL.left + plotW / 2}" y="${y0 + PANEL.height - 2}" text-anchor="middle" fill="#555">steps</text>`);
  for (const v of [lo + 0.25, (lo + hi) / 2, hi - 0.25]) {
    parts.push(`<text x="${x0 + PANEL.left - 4}" y="${sy(v) + 4}" text-anchor="end">${v.toFixed(1)}</text>`);
    parts.push(`<line x1="${x0 + PANEL.left}" y1="${sy(v)}" x2="${x0 + PANEL.left + plotW}" y2="${sy(v)}" stroke="#eee"/>`);
  }
  variants.forEach((variant, i) => {
    const line = points.filter((p) => p.variant === variant).sort((a, b) => a.steps - b.steps);
    if (!line.length) return;
    const colour = COLOURS[i % COLOURS.length];
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${line.map((p) => `${sx(p.steps).toFixed(1)},${sy(p.psnr).toFixed(1)}`).join(' ')}"/>`);
    for (const p of line) parts.push(`<circle cx="${sx(p.steps).toFixed(1)}" cy="${sy(p.psnr).toFixed(1)}" r="3" fill="${colour}"/>`);
  });
  return parts.join('\n');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
