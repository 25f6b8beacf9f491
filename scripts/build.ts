/** `npm run build`: builds or finds in the cache everything the cluster needs (src/provision/build/). */
import { runEntryPoint } from '../src/errors.ts';
import { buildCommand } from '../src/cli/build-command.ts';

await runEntryPoint(buildCommand);
