import { create } from 'zustand';
import type { FilterModel, Sort } from '../../../preload/contract';
import { DEFAULT_COLUMNS } from '../lib/columns';

/**
 * What the user is looking at: the filter, sort, visible columns and the selected record. Never
 * the rows themselves — those are fetched in blocks by the table (row-blocks.ts).
 */
interface QuerySlice {
  filter: FilterModel;
  sort: Sort;
  columns: string[];
  widths: Record<string, number>;
  selectedId: string | null;
  /** Row index of the selection in the current result (for j/k). */
  selectedIndex: number | null;
  /** Bumps whenever the result set may have changed (new filter, sort, sync). */
  generation: number;
  setFilter(filter: FilterModel): void;
  setSort(sort: Sort): void;
  setColumns(columns: string[]): void;
  setWidth(column: string, width: number): void;
  select(id: string | null, index: number | null): void;
  refresh(): void;
}

export const useQueryStore = create<QuerySlice>((set) => ({
  filter: {},
  sort: { column: 'event_time', direction: 'desc' },
  columns: DEFAULT_COLUMNS,
  widths: {},
  selectedId: null,
  selectedIndex: null,
  generation: 0,
  setFilter: (filter) => set((s) => ({ filter, generation: s.generation + 1, selectedIndex: null })),
  setSort: (sort) => set((s) => ({ sort, generation: s.generation + 1, selectedIndex: null })),
  setColumns: (columns) => set({ columns }),
  setWidth: (column, width) => set((s) => ({ widths: { ...s.widths, [column]: Math.max(50, Math.min(800, width)) } })),
  select: (selectedId, selectedIndex) => set({ selectedId, selectedIndex }),
  refresh: () => set((s) => ({ generation: s.generation + 1 })),
}));

/** Adds or removes one value of a list field, e.g. clicking a facet. */
export function toggleValue(filter: FilterModel, field: 'operators' | 'eventTypes' | 'ips' | 'resources' | 'sources' | 'categories' | 'statusClasses', value: string): FilterModel {
  const current = (filter[field] as string[] | undefined) ?? [];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  const copy = { ...filter } as Record<string, unknown>;
  if (next.length === 0) delete copy[field];
  else copy[field] = next;
  return copy as FilterModel;
}
