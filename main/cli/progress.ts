/**
 * A one-line progress display for long CLI work (sync, import, export). On a terminal it redraws
 * in place; otherwise (CI, pipes) it prints at most one line every few seconds so logs stay short.
 */
export interface ProgressLine {
  update(done: number, total: number | undefined, detail?: string): void;
  finish(summary: string): void;
}

export function progressLine(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  const interactive = stream.isTTY === true;
  const started = Date.now();
  let lastPrint = 0;
  const render = (done: number, total: number | undefined, detail?: string): string => {
    const seconds = (Date.now() - started) / 1000;
    // No rate (or ETA) from the first instants: a phase that starts with a big chunk would show
    // a billion per second.
    const rate = seconds >= 0.5 ? Math.round(done / seconds) : 0;
    const parts = [label];
    if (total !== undefined && total > 0) {
      const fraction = Math.min(done / total, 1);
      const width = 24;
      const filled = Math.round(fraction * width);
      parts.push(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(1)}%`);
      parts.push(`${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`);
      if (rate > 0 && done < total) parts.push(`ETA ${Math.ceil((total - done) / rate)}s`);
    } else {
      parts.push(done.toLocaleString('en-US'));
    }
    if (rate > 0) parts.push(`${rate.toLocaleString('en-US')}/s`);
    if (detail) parts.push(detail);
    return parts.join('  ');
  };
  return {
    update(done, total, detail) {
      const now = Date.now();
      if (interactive) {
        if (now - lastPrint < 100) return;
        lastPrint = now;
        stream.write(`\r\x1b[K${render(done, total, detail)}`);
      } else if (now - lastPrint >= 5000) {
        lastPrint = now;
        stream.write(`${render(done, total, detail)}\n`);
      }
    },
    finish(summary) {
      if (interactive) stream.write('\r\x1b[K');
      stream.write(`${summary}\n`);
    },
  };
}
