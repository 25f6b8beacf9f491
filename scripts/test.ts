/** `npm test`: unit tests, the cluster, every suite, one summary line (src/cli/test-command.ts). */
import { runEntryPoint } from '../src/errors.ts';
import { testCommand } from '../src/cli/test-command.ts';

await runEntryPoint(() => testCommand(process.argv.slice(2)));
