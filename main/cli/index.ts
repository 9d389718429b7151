import { Command, CommanderError } from 'commander';
import { APP_VERSION } from '../core/app-info';
import { CliError, printError } from './errors';
import { registerCommands } from './commands';

/**
 * `audit-review` — one subcommand per capability, each in its own file under ./commands.
 * Errors print one line (no stack) and exit non-zero: 1 for a failed operation, 2 for usage.
 */
export async function runCli(argv: string[]): Promise<number> {
  const program = new Command()
    .name('audit-review')
    .description('Review, annotate and export signed evidence from API7 gateway audit logs.')
    .version(APP_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCommands(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit with code 0 through the override; usage errors are already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    printError(error);
    return error instanceof CliError ? error.exitCode : 1;
  }
}
