import { useEffect, useRef } from 'react';

export const SHORTCUTS: [string, string][] = [
  ['j / ↓', 'next record'],
  ['k / ↑', 'previous record'],
  ['g / G', 'first / last record'],
  ['/', 'focus the filter'],
  ['Enter', 'apply the filter (in the filter box)'],
  ['Esc', 'close the detail panel or this help'],
  ['t', 'toggle UTC / local time'],
  ['h', 'toggle the heatmap'],
  ['?', 'show this help'],
];

/** Keyboard shortcuts, as a modal dialog that traps nothing but focus on its close button. */
export function HelpOverlay({ onClose }: { onClose(): void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title">
      <div className="overlay-card">
        <h2 id="help-title">Keyboard shortcuts</h2>
        <dl className="shortcuts">
          {SHORTCUTS.map(([keys, what]) => (
            <div key={keys}>
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <button type="button" ref={close} onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
