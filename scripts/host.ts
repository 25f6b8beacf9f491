/** `npm run host:prepare`: makes this machine able to run a kind cluster (src/provision/host/). */
import { runEntryPoint } from '../src/errors.ts';
import { hostCommand } from '../src/cli/build-command.ts';

await runEntryPoint(hostCommand);
