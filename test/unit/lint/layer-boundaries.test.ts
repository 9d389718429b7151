import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The lint rules are part of the architecture: prove they bite. */
describe('layer boundaries', () => {
  it('rejects an electron import in main/core', async () => {
    const eslint = new ESLint({ ignore: false, overrideConfig: { ignores: [] } });
    const [result] = await eslint.lintFiles(['test/fixtures/lint/main/core/imports-electron.ts']);
    const messages = result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
    expect(messages.some((m) => m.startsWith('no-restricted-imports') && m.includes('plain Node'))).toBe(true);
  });

  it('rejects Node and Electron imports in the renderer', async () => {
    const eslint = new ESLint();
    const source = "import { readFileSync } from 'node:fs';\nimport { ipcRenderer } from 'electron';\nexport const x = [readFileSync, ipcRenderer];\n";
    const [result] = await eslint.lintText(source, { filePath: 'renderer/src/bad.ts' });
    const restricted = result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
    expect(restricted).toHaveLength(2);
  });

  it('rejects a write transaction in main/core that is not BEGIN IMMEDIATE, called or stored', async () => {
    const eslint = new ESLint();
    const source = [
      "import type Database from 'better-sqlite3-multiple-ciphers';",
      'export function a(db: Database.Database) { db.transaction(() => 1)(); }',
      'export function b(db: Database.Database) { const run = db.transaction((n: number) => n); return run(2); }',
      'export function c(db: Database.Database) { db.transaction(() => 1).immediate(); }',
      'export function d(db: Database.Database) { const run = db.transaction((n: number) => n).immediate; return run(2); }',
      '',
    ].join('\n');
    const [result] = await eslint.lintText(source, { filePath: 'main/core/cache/bad-transactions.ts' });
    const lines = result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax' && m.message.includes('.immediate')).map((m) => m.line);
    expect(lines).toEqual([2, 3]);
  });

  it('accepts the real tree (main/core has no electron import)', async () => {
    const eslint = new ESLint();
    const results = await eslint.lintFiles(['main/core/**/*.ts']);
    const violations = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}: ${m.message}`));
    expect(violations).toEqual([]);
  });
});
