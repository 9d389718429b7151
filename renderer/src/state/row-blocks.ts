import type { FilterModel, RecordRow, Sort } from '../../../preload/contract';
import { call } from '../api/api';

/**
 * Fetches the table's rows in fixed blocks on demand and keeps a bounded number of them, so a
 * million-row result costs the renderer only what is on screen (and a little around it).
 */
export const BLOCK_SIZE = 200;
const MAX_BLOCKS = 40;

export class RowBlocks {
  private blocks = new Map<number, RecordRow[]>();
  private pending = new Set<number>();
  private disposed = false;

  constructor(
    private readonly filter: FilterModel,
    private readonly sort: Sort,
    private readonly onLoaded: () => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  row(index: number): RecordRow | undefined {
    const block = this.blocks.get(Math.floor(index / BLOCK_SIZE));
    return block?.[index % BLOCK_SIZE];
  }

  /** Makes sure rows [first, last] are loaded or loading. */
  ensure(first: number, last: number): void {
    for (let b = Math.floor(first / BLOCK_SIZE); b <= Math.floor(last / BLOCK_SIZE); b++) {
      if (this.blocks.has(b) || this.pending.has(b)) continue;
      this.pending.add(b);
      call('query.page', { filter: this.filter, sort: this.sort, offset: b * BLOCK_SIZE, limit: BLOCK_SIZE })
        .then((result) => {
          if (this.disposed) return;
          this.blocks.set(b, result.rows);
          this.evict(b);
          this.onLoaded();
        })
        .catch((error) => !this.disposed && this.onError(error))
        .finally(() => this.pending.delete(b));
    }
  }

  dispose(): void {
    this.disposed = true;
  }

  private evict(keep: number): void {
    if (this.blocks.size <= MAX_BLOCKS) return;
    const farthest = [...this.blocks.keys()].sort((a, b) => Math.abs(b - keep) - Math.abs(a - keep));
    for (const block of farthest.slice(0, this.blocks.size - MAX_BLOCKS)) this.blocks.delete(block);
  }
}
