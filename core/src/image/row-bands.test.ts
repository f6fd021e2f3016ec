import { cropRows, gaussianBlur, guidedFilter, luma, mapRowBands, minFilter } from '@fluxir/core';
import { testPattern } from './test-pattern';

const image = testPattern(40, 90, 3);

describe('filters in bands of rows', () => {
  it('give exactly the whole-image result when the halo covers the filter reach', () => {
    const whole = guidedFilter(gaussianBlur(luma(image), 1), image, 3, 1e-3);
    const banded = mapRowBands(40, 90, 3, 10, (top, bottom) => {
      const band = cropRows(image, top, bottom);
      return guidedFilter(gaussianBlur(luma(band), 1), band, 3, 1e-3);
    }, 16);
    let worst = 0;
    for (let i = 0; i < whole.data.length; i++) worst = Math.max(worst, Math.abs(whole.data[i] - banded.data[i]));
    expect(worst).toBeLessThan(1e-6);
  });

  it('differ near the cuts when the halo is too short, so the halo is what makes them exact', () => {
    const grey = luma(image);
    const whole = minFilter(grey, 5);
    const banded = mapRowBands(40, 90, 1, 1, (top, bottom) => minFilter(cropRows(grey, top, bottom), 5), 16);
    expect(banded.data.some((v, i) => v !== whole.data[i])).toBe(true);
  });

  it('refuse a band filter that returns the wrong size', () => {
    expect(() => mapRowBands(40, 90, 3, 2, (top, bottom) => cropRows(image, top, bottom - 1), 16)).toThrow(RangeError);
  });
});
