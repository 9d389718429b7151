import { AnnotationError } from './errors';
import type { AnnotationStatements } from './statements';
import { validTarget } from './validate';
import type { Target } from './types';

/**
 * Annotations are only accepted on things that exist in this cache, so a typo or a stale id from
 * the UI cannot leave notes attached to nothing.
 */
export function requireTarget(s: AnnotationStatements, target: Target): Target {
  validTarget(target);
  const exists = target.kind === 'record' ? s.recordExists.get(target.id) : s.findingExists.get(target.id);
  if (!exists) {
    throw new AnnotationError('not_found', `No ${target.kind} with id "${target.id}" in this cache; it may have been purged or re-scanned. Refresh and try again.`);
  }
  return target;
}
