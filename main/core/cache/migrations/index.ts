import { migration001 } from './001_initial';
import { migration002 } from './002_review';
import { migration003 } from './003_campaigns';
import { migration004 } from './004_custody_keys';
import { migration005 } from './005_summaries';
import { migration006 } from './006_fts_per_batch';
import type { Migration } from './migration';

/**
 * Every schema step, in order. Add a file `NNN_<what>.ts` exporting a Migration and list it here;
 * each migration has its own test under test/unit/cache/migrations/.
 */
export const migrations: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006];

export type { Migration } from './migration';
