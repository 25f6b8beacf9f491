/** `npm run bench -- build | cluster | suites`: figures, not assertions (src/cli/bench-command.ts). */
import { runEntryPoint } from '../src/errors.ts';
import { benchCommand } from '../src/cli/bench-command.ts';

await runEntryPoint(() => benchCommand(process.argv.slice(2)));
