import type { Command } from 'commander';
import { registerVerify } from './commands/verify';
import { registerProve } from './commands/prove';
import { registerSync } from './commands/sync';
import { registerImport } from './commands/import';
import { registerCheck } from './commands/check';
import { registerQuery } from './commands/query';
import { registerExport } from './commands/export';
import { registerKeys } from './commands/keys';
import { registerGateway } from './commands/gateway';
import { registerAnomalies } from './commands/anomalies';
import { registerHistory } from './commands/history';
import { registerAround } from './commands/around';
import { registerPassphrase } from './commands/passphrase';
import { registerRekey } from './commands/rekey';
import { registerRetention } from './commands/retention';

/**
 * Every subcommand registers itself here, one file per command under ./commands/.
 * Keep this list in the order `--help` should show it.
 */
const registrars: Array<(program: Command) => void> = [registerSync, registerImport, registerQuery, registerHistory, registerAround, registerAnomalies, registerCheck, registerExport, registerVerify, registerProve, registerKeys, registerPassphrase, registerRekey, registerRetention, registerGateway];

export function registerCommands(program: Command): void {
  for (const register of registrars) register(program);
}
