import { describe, expect, it } from 'vitest';
import { firstVisibleRow, isScaled, scrollTopForRow, spacerHeight } from '../../../renderer/src/lib/scroll-scaling';

describe('scroll scaling', () => {
  const small = { rowHeight: 28, rowCount: 1000, viewportHeight: 560 };
  const huge = { rowHeight: 28, rowCount: 1_000_000, viewportHeight: 560 };

  it('scrolls 1:1 while the list fits under the height cap', () => {
    expect(isScaled(small)).toBe(false);
    expect(spacerHeight(small)).toBe(28_000);
    expect(firstVisibleRow(small, 280)).toEqual({ index: 10, offsetPx: 0 });
    expect(firstVisibleRow(small, 290)).toEqual({ index: 10, offsetPx: 10 });
  });

  it('caps the spacer for a million rows and still reaches the last row', () => {
    expect(isScaled(huge)).toBe(true);
    expect(spacerHeight(huge)).toBeLessThan(16_000_000);
    const bottom = spacerHeight(huge) - huge.viewportHeight;
    const { index } = firstVisibleRow(huge, bottom);
    expect(index + huge.viewportHeight / huge.rowHeight).toBe(huge.rowCount);
    expect(firstVisibleRow(huge, 0).index).toBe(0);
  });

  it('maps a row to a scroll position and back', () => {
    for (const row of [0, 1, 12_345, 500_000, 999_980]) {
      const top = scrollTopForRow(huge, row);
      expect(Math.abs(firstVisibleRow(huge, top).index - row)).toBeLessThanOrEqual(1);
    }
  });
});
