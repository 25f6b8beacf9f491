/** `npm run cluster:up | cluster:down | cluster:status` (src/cli/cluster-command.ts, src/provision/cluster/). */
import { runEntryPoint } from '../src/errors.ts';
import { clusterCommand } from '../src/cli/cluster-command.ts';

await runEntryPoint(() => clusterCommand(process.argv.slice(2)));
