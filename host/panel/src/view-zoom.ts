/**
 * Zoom and pan of the compare view: fit to the panel, or a scale in image pixels per screen pixel
 * (1 = actual pixels) inside a scrolling viewport that keeps its centre as the scale changes.
 */
export class ViewZoom {
  readonly readout: HTMLElement;
  /** Image pixels per screen pixel; undefined = fit the panel. */
  private zoom: number | undefined;

  constructor(
    private readonly viewport: HTMLElement,
    private readonly frame: HTMLElement,
    private readonly size: () => { width: number; height: number } | undefined,
  ) {
    this.readout = document.createElement('span');
    this.readout.className = 'zoom-readout';
    this.readout.setAttribute('aria-live', 'polite');
    this.readout.textContent = 'Fit';
    this.listen();
  }

  /** Zooms by a factor from the current scale (the fitted one included). */
  by(factor: number): void {
    this.set(this.effectiveZoom() * factor);
  }

  /** undefined fits the image in the panel; a number shows that many screen pixels per image pixel. */
  set(zoom: number | undefined): void {
    const size = this.size();
    const box = this.viewport.getBoundingClientRect();
    const centre = {
      x: (this.viewport.scrollLeft + box.width / 2) / Math.max(1, this.frame.offsetWidth),
      y: (this.viewport.scrollTop + box.height / 2) / Math.max(1, this.frame.offsetHeight),
    };
    this.zoom = zoom === undefined || !size ? undefined : Math.min(16, Math.max(0.05, zoom));
    this.viewport.classList.toggle('zoomed', this.zoom !== undefined);
    if (this.zoom === undefined || !size) {
      this.frame.style.width = '';
      // Tall images are kept within three quarters of the window's height.
      this.frame.style.maxWidth = size ? `calc(75vh * ${(size.width / size.height).toFixed(4)})` : '';
      this.readout.textContent = 'Fit';
      return;
    }
    this.frame.style.maxWidth = 'none';
    this.frame.style.width = `${(size.width * this.zoom) / devicePixelRatio}px`;
    this.readout.textContent = `${Math.round(this.zoom * 100)}%`;
    this.viewport.scrollLeft = centre.x * this.frame.offsetWidth - box.width / 2;
    this.viewport.scrollTop = centre.y * this.frame.offsetHeight - box.height / 2;
  }

  private effectiveZoom(): number {
    if (this.zoom !== undefined) return this.zoom;
    const width = this.size()?.width ?? 0;
    return width > 0 ? (this.frame.getBoundingClientRect().width * devicePixelRatio) / width : 1;
  }

  /** Ctrl+wheel zooms; a middle-button or Alt drag pans (a plain drag moves the divider or paints). */
  private listen(): void {
    this.viewport.addEventListener(
      'wheel',
      (event) => {
        if (!event.ctrlKey || !this.size()) return;
        event.preventDefault();
        this.by(event.deltaY < 0 ? 1.25 : 0.8);
      },
      { passive: false },
    );
    let pan: { x: number; y: number; left: number; top: number } | undefined;
    this.viewport.addEventListener(
      'pointerdown',
      (event) => {
        if (!(event.button === 1 || (event.button === 0 && event.altKey))) return;
        event.preventDefault();
        event.stopPropagation();
        pan = { x: event.clientX, y: event.clientY, left: this.viewport.scrollLeft, top: this.viewport.scrollTop };
        this.viewport.setPointerCapture(event.pointerId);
      },
      { capture: true },
    );
    this.viewport.addEventListener('pointermove', (event) => {
      if (!pan) return;
      this.viewport.scrollLeft = pan.left - (event.clientX - pan.x);
      this.viewport.scrollTop = pan.top - (event.clientY - pan.y);
    });
    const stop = () => (pan = undefined);
    this.viewport.addEventListener('pointerup', stop);
    this.viewport.addEventListener('pointercancel', stop);
  }
}
