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

  it('accepts the real tree (main/core has no electron import)', async () => {
    const eslint = new ESLint();
    const results = await eslint.lintFiles(['main/core/**/*.ts']);
    const violations = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}: ${m.message}`));
    expect(violations).toEqual([]);
  });
});
