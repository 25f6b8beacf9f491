/** `podlaw gameday plan|run|abort`: the commander wiring; the work is in src/gameday. */
import type { Command } from 'commander';
import { destructiveOptInEnv } from '../safety.ts';

interface ClusterFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
}

function envFor(flags: ClusterFlags & { allowDestructive?: boolean }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...(flags.kubeconfig === undefined ? {} : { PODLAW_KUBECONFIG: flags.kubeconfig }),
    ...(flags.context === undefined ? {} : { PODLAW_CONTEXT: flags.context }),
    ...(flags.allowDestructive === true ? { [destructiveOptInEnv]: '1' } : {}),
  };
}

export function addGameDayCommands(program: Command, result: { exitCode: number }): void {
  const gameday = program.command('gameday').description('game days: a scenario file, its predicted timeline, a live run, abort, a report');
  gameday
    .command('plan')
    .description('dry run: validate FILE, print the predicted timeline from the cluster’s settings and what would be touched')
    .argument('<file>', 'scenario YAML (see examples/)')
    .option('--kubeconfig <path>', 'kubeconfig of the cluster')
    .option('--context <name>', 'context in the kubeconfig')
    .action(async (file: string, flags: ClusterFlags) => {
      const { planCommand } = await import('../gameday/plan-command.ts');
      await planCommand(file, envFor(flags));
      result.exitCode = 0;
    });
  gameday
    .command('run')
    .description('run FILE with a live view; Ctrl-C, `podlaw gameday abort` or a failed guard recovers every fault')
    .argument('<file>', 'scenario YAML (see examples/)')
    .option('--kubeconfig <path>', 'kubeconfig of the cluster')
    .option('--context <name>', 'context in the kubeconfig')
    .option('--allow-destructive', 'allow node and memory faults on a cluster podlaw did not create')
    .action(async (file: string, flags: ClusterFlags & { allowDestructive?: boolean }) => {
      const { runCommand } = await import('../gameday/run-command.ts');
      result.exitCode = await runCommand(file, envFor(flags));
    });
  gameday
    .command('abort')
    .description('ask every running game day on the cluster to stop now and recover its faults')
    .option('--kubeconfig <path>', 'kubeconfig of the cluster')
    .option('--context <name>', 'context in the kubeconfig')
    .option('--reason <text>', 'why, shown in the run and its report', 'podlaw gameday abort')
    .action(async (flags: ClusterFlags & { reason: string }) => {
      const { abortCommand } = await import('../gameday/abort.ts');
      result.exitCode = await abortCommand(envFor(flags), flags.reason);
    });
}
