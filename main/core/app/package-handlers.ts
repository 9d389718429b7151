import { isAbsolute } from 'node:path';
import { readPackageRecords } from '../verify/package-records';
import type { Handlers } from './dispatcher';
import { AppError } from './errors';

/** package.records: read-only browsing of a signed package; needs no open cache. */
export function createPackageHandlers() {
  return {
    'package.records': async ({ path, offset, limit }) => {
      if (!isAbsolute(path) || !path.toLowerCase().endsWith('.zip')) throw new AppError('invalid_input', 'Give the absolute path of a package .zip.');
      return readPackageRecords(path, { offset, limit });
    },
  } satisfies Partial<Handlers>;
}
