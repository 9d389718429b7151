import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** `npm run dist` needs the Electron download, so its configuration is asserted here instead. */
describe('packaging', () => {
  const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;

  it('packs into asar, rebuilds native modules and leaves tests and sources out', () => {
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(true);
    expect(config.files).toEqual(expect.arrayContaining(['dist/**/*', '!**/test/**']));
    expect(config.afterPack).toBe('scripts/flip-fuses.cjs');
  });

  it('targets Linux (AppImage, deb), macOS (dmg, hardened runtime) and Windows (nsis)', () => {
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect(config.mac).toMatchObject({ target: 'dmg', hardenedRuntime: true });
    expect(config.win).toMatchObject({ target: 'nsis' });
  });

  it('flips the fuses that stop the binary being used as a Node runtime', () => {
    const { FUSES } = createRequire(import.meta.url)('../../../scripts/flip-fuses.cjs') as { FUSES: Record<number, boolean> };
    expect(FUSES[FuseV1Options.RunAsNode]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
  });
});
