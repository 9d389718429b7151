/**
 * Scroll scaling for very long lists. Browsers cap an element's height (about 16.7 million px in
 * Firefox, 33.5 million in Chromium), and 1M rows × 28 px exceeds it. Below `maxPx` the list scrolls
 * 1:1; above it, the scrollbar's position maps proportionally onto row indexes, so the thumb still
 * reaches the very last row.
 */
export interface ScrollGeometry {
  rowHeight: number;
  rowCount: number;
  viewportHeight: number;
  maxPx?: number;
}

const DEFAULT_MAX_PX = 5_000_000;

export function spacerHeight(g: ScrollGeometry): number {
  return Math.min(g.rowCount * g.rowHeight, g.maxPx ?? DEFAULT_MAX_PX);
}

export function isScaled(g: ScrollGeometry): boolean {
  return g.rowCount * g.rowHeight > (g.maxPx ?? DEFAULT_MAX_PX);
}

/** The first visible row and how far (px) it is scrolled out of view at this scrollTop. */
export function firstVisibleRow(g: ScrollGeometry, scrollTop: number): { index: number; offsetPx: number } {
  if (!isScaled(g)) return { index: Math.floor(scrollTop / g.rowHeight), offsetPx: scrollTop % g.rowHeight };
  const visible = Math.floor(g.viewportHeight / g.rowHeight);
  const scrollRange = Math.max(1, spacerHeight(g) - g.viewportHeight);
  const lastFirst = Math.max(0, g.rowCount - visible);
  const index = Math.min(lastFirst, Math.round((Math.min(scrollTop, scrollRange) / scrollRange) * lastFirst));
  return { index, offsetPx: 0 };
}

/** The scrollTop that shows `index` as the first row (inverse of firstVisibleRow). */
export function scrollTopForRow(g: ScrollGeometry, index: number): number {
  if (!isScaled(g)) return index * g.rowHeight;
  const visible = Math.floor(g.viewportHeight / g.rowHeight);
  const lastFirst = Math.max(1, g.rowCount - visible);
  const scrollRange = Math.max(1, spacerHeight(g) - g.viewportHeight);
  return Math.round((Math.min(index, lastFirst) / lastFirst) * scrollRange);
}
