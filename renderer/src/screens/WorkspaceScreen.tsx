import { useEffect, useMemo, useRef, useState } from 'react';
import type { Session } from '../../../preload/contract';
import { call, errorMessage } from '../api/api';
import { ColumnChooser } from '../components/ColumnChooser';
import { DetailPanel } from '../components/DetailPanel';
import { FacetPanel } from '../components/FacetPanel';
import { FindingsPanel } from '../components/findings/FindingsPanel';
import { Toasts } from '../components/Toasts';
import { FilterBar } from '../components/FilterBar';
import { Heatmap } from '../components/Heatmap';
import { HelpOverlay } from '../components/HelpOverlay';
import { RecordTable } from '../components/RecordTable';
import { Timeline } from '../components/Timeline';
import { TopBar } from '../components/TopBar';
import { ViewsMenu } from '../components/ViewsMenu';
import { BulkActions } from '../components/annotations/BulkActions';
import { CampaignsMenu } from '../components/annotations/CampaignsMenu';
import { ExportDialog } from '../components/exporting/ExportDialog';
import { VerifyDialog } from '../components/exporting/VerifyDialog';
import { SettingsDialog } from '../components/SettingsDialog';
import { HistoryDialog, type HistoryRequest } from '../components/history/HistoryDialog';
import { formatCount } from '../lib/format';
import { useShortcuts } from '../lib/use-shortcuts';
import { useActivityPing } from '../lib/use-activity-ping';
import { usePrefsStore } from '../state/prefs-store';
import { useQueryStore } from '../state/query-store';
import { useSessionStore } from '../state/session-store';

const SYNC_REFRESH_MS = 2_000;

/** Where auditors spend their day: filter bar, facets, timeline, the table, and the record detail. */
export function WorkspaceScreen({ session }: { session: Session }) {
  const sync = useSessionStore((s) => s.sync);
  const { filter, generation, selectedId, selectedIndex, select, refresh } = useQueryStore();
  const [count, setCount] = useState<number | null>(null);
  const [countError, setCountError] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const [view, setView] = useState<'table' | 'heatmap'>('table');
  const [verifyPath, setVerifyPath] = useState<string | null>(null);
  const [settings, setSettings] = useState(false);
  const [history, setHistory] = useState<HistoryRequest | null>(null);
  const filterInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    setCountError(null);
    call('query.count', { filter })
      .then(({ count: n }) => live && setCount(n))
      .catch((e) => live && setCountError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [filter, generation]);

  // New records arrived: refresh counts and rows.
  const recordCount = session.recordCount;
  useEffect(() => {
    refresh();
  }, [recordCount, refresh]);

  // While a sync stores records, show them every few seconds rather than only at the end (not per
  // page: each refresh re-runs the count, facets and timeline over the whole cache).
  const syncedSoFar = useRef(0);
  syncedSoFar.current = sync?.running ? (sync.records ?? 0) : 0;
  const syncing = sync?.running === true;
  useEffect(() => {
    if (!syncing) return;
    let shown = 0;
    const timer = setInterval(() => {
      if (syncedSoFar.current === shown) return;
      shown = syncedSoFar.current;
      refresh();
    }, SYNC_REFRESH_MS);
    return () => clearInterval(timer);
  }, [syncing, refresh]);

  const shortcuts = useMemo(() => {
    const move = (delta: number) => {
      if (!count) return;
      const next = Math.max(0, Math.min(count - 1, (selectedIndex ?? -1) + delta));
      select(null, next);
    };
    return {
      j: () => move(1),
      ArrowDown: () => move(1),
      k: () => move(-1),
      ArrowUp: () => move(-1),
      g: () => count && select(null, 0),
      G: () => count && select(null, count - 1),
      '/': () => filterInput.current?.focus(),
      '?': () => setHelp(true),
      t: () => usePrefsStore.getState().setTimeZone(usePrefsStore.getState().timeZone === 'utc' ? 'local' : 'utc'),
      h: () => setView((v) => (v === 'table' ? 'heatmap' : 'table')),
      Escape: () => {
        if (help) setHelp(false);
        else if (settings) setSettings(false);
        else if (history) setHistory(null);
        else if (document.activeElement === filterInput.current) filterInput.current?.blur();
        else select(null, null);
      },
    };
  }, [count, selectedIndex, select, help, settings, history]);
  useShortcuts(shortcuts);
  useActivityPing();

  return (
    <div className="workspace">
      <h1 className="visually-hidden">Audit records of {session.user?.username ?? 'this account'}</h1>
      <TopBar session={session} sync={sync} onHelp={() => setHelp(true)} onSettings={() => setSettings(true)} />
      <FilterBar inputRef={filterInput} />
      <div className="workspace-body">
        <div className="sidebar">
          <FindingsPanel />
          <FacetPanel />
        </div>
        <main className="results" aria-label="Results">
          <div className="results-toolbar">
            <strong data-testid="result-count" aria-live="polite">
              {count === null ? 'Counting…' : `${formatCount(count)} records`}
            </strong>
            <div role="tablist" aria-label="Result view" className="tabs">
              <button type="button" role="tab" aria-selected={view === 'table'} onClick={() => setView('table')}>
                Table
              </button>
              <button type="button" role="tab" aria-selected={view === 'heatmap'} onClick={() => setView('heatmap')}>
                Heatmap
              </button>
            </div>
            <ColumnChooser />
            <ViewsMenu />
            <BulkActions count={count ?? 0} />
            <CampaignsMenu />
            <ExportDialog session={session} count={count ?? 0} onVerify={setVerifyPath} />
            <button type="button" onClick={() => setVerifyPath('')}>
              Verify…
            </button>
          </div>
          <Timeline />
          {countError && (
            <p className="error" role="alert">
              {countError}
            </p>
          )}
          {count === 0 && !countError && <EmptyState hasFilter={Object.keys(filter).length > 0} syncing={sync?.running === true} />}
          {view === 'table' ? count !== null && count > 0 && <RecordTable count={count} /> : <Heatmap />}
        </main>
        {selectedId && <DetailPanel onHistory={setHistory} />}
      </div>
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
      {history && <HistoryDialog request={history} onClose={() => setHistory(null)} />}
      {settings && <SettingsDialog onClose={() => setSettings(false)} />}
      {verifyPath !== null && <VerifyDialog initialPath={verifyPath} onClose={() => setVerifyPath(null)} />}
      <Toasts />
    </div>
  );
}

function EmptyState({ hasFilter, syncing }: { hasFilter: boolean; syncing: boolean }) {
  const setFilter = useQueryStore((s) => s.setFilter);
  if (hasFilter) {
    return (
      <div className="empty-state">
        <p>No records match this filter.</p>
        <button type="button" onClick={() => setFilter({})}>
          Clear the filter
        </button>
      </div>
    );
  }
  return (
    <div className="empty-state">
      <p>{syncing ? 'The first sync is running; records appear as they arrive.' : 'The cache is empty. Press “Sync now” to fetch the audit logs.'}</p>
    </div>
  );
}
