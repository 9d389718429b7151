// Entry of the `audit-review` command (bundled to dist/cli.js; `npm run cli --` runs it from source).
import { runCli } from './cli/index';

runCli(process.argv.slice(2)).then((code) => process.exit(code));
