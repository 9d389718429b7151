import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from '../../../main/core/security/csp';
import { lockDownContents } from '../../../main/security';
import { mainWindowOptions } from '../../../main/window-options';

const ROOT = join(import.meta.dirname, '..', '..', '..');

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string; value: number };
  confidence: { name: string };
  description: string;
}
interface ScanResult {
  globalChecks: number;
  atomicChecks: number;
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
  issues: Finding[];
}

/**
 * The package's CLI is broken by a commander version clash, and its index does not export the
 * runner; dist/runner.js is the programmatic entry (module.exports = async run(options)). It parses
 * .ts files itself (Babel with the TypeScript plugin), so the sources are scanned, not the bundle.
 */
const runElectronegativity = createRequire(import.meta.url)('@doyensec/electronegativity/dist/runner.js') as (options: Record<string, unknown>) => Promise<ScanResult>;

/**
 * Findings above LOW that are known false positives, each with the reason and a check (in the test
 * below) that the protection the scanner could not see is really there. Matched by id and file,
 * so the same check firing anywhere else still fails the test.
 */
const EXCEPTIONS: Record<string, { file: string; reason: string }> = {
  CSP_GLOBAL_CHECK: {
    file: 'N/A',
    reason: 'the CSP is sent as a header by the app:// protocol handler (main/protocol.ts → core/security/csp.ts), which a source scan cannot see',
  },
  CONTEXT_ISOLATION_JS_CHECK: {
    file: 'main/index.ts',
    reason: 'BrowserWindow gets its options from mainWindowOptions() (main/window-options.ts); the scanner only reads literal objects',
  },
  SANDBOX_JS_CHECK: { file: 'main/index.ts', reason: 'same: sandbox: true is set in mainWindowOptions()' },
  AUXCLICK_JS_CHECK: {
    file: 'main/index.ts',
    reason: 'middle-click can only ask for a new window or a navigation; lockDownContents denies every window.open and off-origin navigation',
  },
};

describe('electronegativity over main/ and preload/', () => {
  it('finds nothing above LOW except the documented false positives', async () => {
    // One folder holding both, so global checks (navigation limits, permission handler) see the
    // whole shell at once instead of reporting preload/ as missing what main/ does.
    const scanDir = mkdtempSync(join(tmpdir(), 'ar-eng-'));
    try {
      cpSync(join(ROOT, 'main'), join(scanDir, 'main'), { recursive: true });
      cpSync(join(ROOT, 'preload'), join(scanDir, 'preload'), { recursive: true });
      const result = await runElectronegativity({
        input: scanDir,
        isRelative: true,
        electronVersionOverride: '39.8.10',
        // It downloads Electron's release list to compare versions: no network here or in CI.
        excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      });
      console.log(`electronegativity: ${result.globalChecks} global + ${result.atomicChecks} atomic checks`);
      console.table(result.issues.map((i) => ({ check: i.id, severity: i.severity.name, confidence: i.confidence.name, file: i.file, line: i.location.line, excepted: EXCEPTIONS[i.id]?.file === i.file })));

      expect(result.atomicChecks).toBeGreaterThan(20);
      expect(result.errors.filter((e) => !e.tolerable)).toEqual([]);
      const unexcused = result.issues.filter((i) => i.severity.value > 1 && EXCEPTIONS[i.id]?.file !== i.file);
      expect(unexcused.map((i) => `${i.id} ${i.severity.name} ${i.file}:${i.location.line}`)).toEqual([]);
    } finally {
      rmSync(scanDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('the excepted protections are really in place', () => {
    const prefs = mainWindowOptions('/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(securityHeaders()['Content-Security-Policy']).toMatch(/default-src 'none'|default-src 'self'/);
    let openHandler: (() => { action: string }) | undefined;
    const fake = { on: () => fake, setWindowOpenHandler: (h: () => { action: string }) => (openHandler = h) };
    lockDownContents(fake as never);
    expect(openHandler?.()).toEqual({ action: 'deny' });
  });
});
