import { useEffect, useRef, useState, type PointerEvent } from 'react';
import type { Output } from '../../../preload/contract';
import { call } from '../api/api';
import { formatCount, formatTime } from '../lib/format';
import { usePrefsStore } from '../state/prefs-store';
import { useQueryStore } from '../state/query-store';

type Histogram = Output<'query.histogram'>;

/**
 * Records over time for the current filter, as an SVG bar chart (buckets with findings in a warning
 * colour). Click-drag across it to zoom the filter's time range to the selection.
 */
export function Timeline() {
  const filter = useQueryStore((s) => s.filter);
  const generation = useQueryStore((s) => s.generation);
  const setFilter = useQueryStore((s) => s.setFilter);
  const timeZone = usePrefsStore((s) => s.timeZone);
  const [data, setData] = useState<Histogram | null>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const svg = useRef<SVGSVGElement>(null);

  useEffect(() => {
    let live = true;
    void call('query.histogram', { filter, buckets: 120 }, { stillWanted: () => live }).then((h) => live && setData(h)).catch(() => live && setData(null));
    return () => {
      live = false;
    };
  }, [filter, generation]);

  if (!data || data.buckets.length === 0) return <div className="timeline empty" aria-busy={!data} />;
  const width = 1000;
  const height = 64;
  const first = data.buckets[0]!.start;
  const last = data.buckets[data.buckets.length - 1]!.start + data.bucketSeconds;
  const span = Math.max(1, last - first);
  const max = Math.max(...data.buckets.map((b) => b.count));
  const x = (t: number) => ((t - first) / span) * width;
  const timeAt = (clientX: number) => {
    const rect = svg.current!.getBoundingClientRect();
    return Math.round(first + ((clientX - rect.left) / rect.width) * span);
  };
  const barWidth = Math.max(1, (data.bucketSeconds / span) * width - 1);

  const onDown = (e: PointerEvent<SVGSVGElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    const t = timeAt(e.clientX);
    setDrag({ from: t, to: t });
  };
  const onMove = (e: PointerEvent<SVGSVGElement>) => drag && setDrag({ ...drag, to: timeAt(e.clientX) });
  const onUp = () => {
    if (drag && Math.abs(drag.to - drag.from) > data.bucketSeconds / 2) {
      const { relative: _relative, ...rest } = filter;
      setFilter({ ...rest, from: Math.min(drag.from, drag.to), to: Math.max(drag.from, drag.to) });
    }
    setDrag(null);
  };

  return (
    <figure className="timeline" aria-label={`Timeline: ${formatCount(data.buckets.reduce((a, b) => a + b.count, 0))} records from ${formatTime(first, timeZone)} to ${formatTime(last, timeZone)}`}>
      <svg ref={svg} viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" onPointerDown={onDown} onPointerMove={onMove} onPointerUp={onUp} role="img" aria-label="Records per time bucket; drag to zoom">
        {data.buckets.map((b) => {
          const h = Math.max(1, (b.count / max) * (height - 4));
          return (
            <rect key={b.start} x={x(b.start)} y={height - h} width={barWidth} height={h} className={b.findings > 0 ? 'bar finding' : 'bar'}>
              <title>{`${formatTime(b.start, timeZone)}: ${formatCount(b.count)} records${b.findings ? `, ${formatCount(b.findings)} with findings` : ''}`}</title>
            </rect>
          );
        })}
        {drag && <rect className="brush" x={x(Math.min(drag.from, drag.to))} y={0} width={Math.abs(x(drag.to) - x(drag.from))} height={height} />}
      </svg>
      <figcaption className="muted small">
        {formatTime(first, timeZone)} — {formatTime(last, timeZone)} · drag to zoom
      </figcaption>
    </figure>
  );
}
