import type { Command } from 'commander';

/**
 * Every subcommand registers itself here, one file per command under ./commands/.
 * Keep this list in the order `--help` should show it.
 */
const registrars: Array<(program: Command) => void> = [];

export function registerCommands(program: Command): void {
  for (const register of registrars) register(program);
}
