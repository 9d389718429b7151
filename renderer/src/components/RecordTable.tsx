import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type PointerEvent as ReactPointerEvent } from 'react';
import type { RecordRow } from '../../../preload/contract';
import { errorMessage } from '../api/api';
import { columnById, type ColumnDef } from '../lib/columns';
import { formatTime } from '../lib/format';
import { firstVisibleRow, scrollTopForRow, spacerHeight, type ScrollGeometry } from '../lib/scroll-scaling';
import { usePrefsStore } from '../state/prefs-store';
import { useQueryStore } from '../state/query-store';
import { RowBlocks } from '../state/row-blocks';

const ROW_HEIGHT = 28;
const OVERSCAN = 10;
/** A ceiling on rendered rows, whatever the layout reports: the DOM never holds more than a screenful. */
const MAX_RENDERED_ROWS = 150;

/**
 * The review table: virtualized (only visible rows exist in the DOM), scroll-scaled past the
 * browser's height limit, sortable, with resizable and reorderable columns. Cell text is rendered
 * as React text nodes — record data is never markup.
 */
export function RecordTable({ count }: { count: number }) {
  const { filter, sort, columns, widths, generation, selectedId, selectedIndex, select, setSort, setColumns, setWidth } = useQueryStore();
  const timeZone = usePrefsStore((s) => s.timeZone);
  const scroller = useRef<HTMLDivElement>(null);
  const [viewportHeight, setViewportHeight] = useState(600);
  const [scrollTop, setScrollTop] = useState(0);
  const [, setTick] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const blocks = useMemo(
    () => new RowBlocks(filter, sort, () => setTick((t) => t + 1), (e) => setError(errorMessage(e))),
    // generation changes whenever filter/sort change or new data arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [generation],
  );
  useEffect(() => () => blocks.dispose(), [blocks]);
  useEffect(() => {
    setError(null);
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }, [blocks]);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewportHeight(element.clientHeight - ROW_HEIGHT));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const geometry: ScrollGeometry = { rowHeight: ROW_HEIGHT, rowCount: count, viewportHeight };
  const { index: first, offsetPx } = firstVisibleRow(geometry, scrollTop);
  const visibleCount = Math.min(MAX_RENDERED_ROWS, Math.ceil(viewportHeight / ROW_HEIGHT) + 1);
  const last = Math.min(count - 1, first + visibleCount);
  useEffect(() => {
    if (count > 0) blocks.ensure(Math.max(0, first - OVERSCAN), Math.min(count - 1, last + OVERSCAN));
  }, [blocks, first, last, count]);

  // Keep the keyboard selection in view — also when the viewport changes under it (opening the
  // detail panel can wrap the toolbar and shorten the table, which hid a just-selected last row).
  useEffect(() => {
    if (selectedIndex === null || !scroller.current) return;
    if (selectedIndex < first) scroller.current.scrollTop = scrollTopForRow(geometry, selectedIndex);
    else if (selectedIndex >= first + visibleCount - 1) scroller.current.scrollTop = scrollTopForRow(geometry, selectedIndex - visibleCount + 2);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedIndex, viewportHeight]);

  useEffect(() => {
    if (selectedIndex === null) return;
    const row = blocks.row(selectedIndex);
    if (row && row.id !== selectedId) select(row.id, selectedIndex);
  });

  const defs = columns.map(columnById).filter((c): c is ColumnDef => c !== undefined);
  const widthOf = (c: ColumnDef) => widths[c.id] ?? c.width;
  const totalWidth = defs.reduce((sum, c) => sum + widthOf(c), 0) + 28;

  const onHeaderClick = (c: ColumnDef) => {
    if (!c.sortKey) return;
    setSort({ column: c.sortKey, direction: sort.column === c.sortKey && sort.direction === 'desc' ? 'asc' : 'desc' });
  };
  const startResize = useCallback(
    (c: ColumnDef, event: ReactPointerEvent) => {
      event.preventDefault();
      event.stopPropagation();
      const startX = event.clientX;
      const startWidth = widths[c.id] ?? c.width;
      const move = (e: PointerEvent) => setWidth(c.id, startWidth + e.clientX - startX);
      const up = () => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    },
    [widths, setWidth],
  );
  const onDrop = (target: string, event: DragEvent) => {
    const source = event.dataTransfer.getData('text/x-column');
    if (!source || source === target) return;
    const next = columns.filter((c) => c !== source);
    next.splice(next.indexOf(target), 0, source);
    setColumns(next);
  };

  const rows: { index: number; row: RecordRow | undefined }[] = [];
  for (let i = first; i <= last && i < count; i++) rows.push({ index: i, row: blocks.row(i) });

  return (
    <div className="table-wrap">
      {error && (
        <p className="error banner" role="alert">
          Could not load rows: {error}
        </p>
      )}
      <div
        className="table-scroller"
        ref={scroller}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        role="grid"
        aria-label="Audit records"
        aria-rowcount={count + 1}
        aria-colcount={defs.length}
        tabIndex={0}
        data-testid="record-table"
      >
        <div className="table-sticky" style={{ width: totalWidth }}>
          <div className="table-header" role="row" aria-rowindex={1}>
            <span className="mark-cell" aria-hidden="true" />
            {defs.map((c) => (
              <div
                key={c.id}
                role="columnheader"
                className={`cell header-cell${c.sortKey ? ' sortable' : ''}`}
                style={{ width: widthOf(c) }}
                aria-sort={c.sortKey && sort.column === c.sortKey ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
                draggable
                onDragStart={(e) => e.dataTransfer.setData('text/x-column', c.id)}
                onDragOver={(e) => e.preventDefault()}
                onDrop={(e) => onDrop(c.id, e)}
              >
                <button type="button" className="header-button" onClick={() => onHeaderClick(c)} disabled={!c.sortKey}>
                  {c.header}
                  {c.sortKey && sort.column === c.sortKey ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
                <span className="resize-handle" onPointerDown={(e) => startResize(c, e)} aria-hidden="true" />
              </div>
            ))}
          </div>
          <div className="table-body" style={{ transform: `translateY(${-offsetPx}px)` }}>
            {rows.map(({ index, row }) => (
              <div
                key={index}
                role="row"
                aria-rowindex={index + 2}
                aria-selected={row !== undefined && row.id === selectedId}
                className={`table-row${row && row.id === selectedId ? ' selected' : ''}${row?.severity ? ` sev-${row.severity}` : ''}${row?.failed ? ' failed' : ''}`}
                onClick={() => row && select(row.id, index)}
                data-row-index={index}
              >
                {/* Decorative for assistive tech: a row may only own cells, and the same marks are in the detail panel. */}
                <span className="mark-cell" aria-hidden="true" title={row ? markTitle(row) : undefined}>
                  {row?.severity && <span className={`dot sev-${row.severity}`} aria-label={`${row.severity} finding`} />}
                  {row?.annotated && <span className="dot annotated" aria-label="annotated" />}
                </span>
                {defs.map((c) => (
                  <div key={c.id} role="gridcell" className="cell" style={{ width: widthOf(c) }}>
                    {row ? (c.id === 'event_time' ? formatTime(row.event_time, timeZone) : c.text(row)) : index === first ? 'Loading…' : ''}
                  </div>
                ))}
              </div>
            ))}
          </div>
        </div>
        {/* The spacer gives the scrollbar its length; the sticky layer above shows the rows. */}
        <div style={{ height: Math.max(0, spacerHeight(geometry) - viewportHeight), width: 1 }} aria-hidden="true" />
      </div>
    </div>
  );
}

function markTitle(row: RecordRow): string {
  const parts: string[] = [];
  if (row.severity) parts.push(`${row.severity}-severity finding`);
  if (row.annotated) parts.push('annotated');
  if (row.failed) parts.push('failed');
  return parts.join(', ');
}
