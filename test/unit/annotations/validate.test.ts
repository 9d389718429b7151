import { describe, expect, it } from 'vitest';
import { validAuthor, validComment, validStatus, validTag, validTarget } from '../../../main/core/annotations/validate';

const code = (run: () => unknown) => {
  try {
    run();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('annotation input validation', () => {
  it('comments: plain text up to 10,000 characters, kept exactly as given', () => {
    expect(validComment(' two\nlines\twith tab ')).toBe(' two\nlines\twith tab ');
    expect(validComment('x'.repeat(10_000))).toHaveLength(10_000);
    expect(code(() => validComment('x'.repeat(10_001)))).toBe('invalid_input');
    expect(code(() => validComment('   \n '))).toBe('invalid_input');
    expect(code(() => validComment('bell\u0007'))).toBe('invalid_input');
    expect(code(() => validComment('nul\u0000'))).toBe('invalid_input');
  });

  it('tags: trimmed, 1–64 characters, no control characters or commas', () => {
    expect(validTag('  privileged change ')).toBe('privileged change');
    expect(validTag('x'.repeat(64))).toHaveLength(64);
    expect(code(() => validTag('x'.repeat(65)))).toBe('invalid_input');
    expect(code(() => validTag('   '))).toBe('invalid_input');
    expect(code(() => validTag('a\tb'))).toBe('invalid_input');
    expect(code(() => validTag('a\u0085b'))).toBe('invalid_input');
    expect(code(() => validTag('a,b'))).toBe('invalid_input');
  });

  it('statuses: the five review statuses, in either spelling of the filter language', () => {
    expect(validStatus('Needs-Follow-Up')).toBe('needs follow up');
    expect(validStatus('false positive')).toBe('false positive');
    expect(code(() => validStatus('approved'))).toBe('invalid_input');
  });

  it('authors and targets', () => {
    expect(validAuthor(' alice ')).toBe('alice');
    expect(code(() => validAuthor(''))).toBe('invalid_input');
    expect(code(() => validTarget({ kind: 'record', id: '' }))).toBe('invalid_input');
    expect(code(() => validTarget({ kind: 'operator' as never, id: 'x' }))).toBe('invalid_input');
  });
});
