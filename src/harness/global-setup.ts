/**
 * Playwright globalSetup: the run-start collection (src/lifecycle/run-start.ts), then the cluster's timing, read once
 * while no fault of this run holds a node, and handed to every worker (src/cluster/run-start-timing.ts).
 */
import collectAtRunStart from '../lifecycle/run-start.ts';
import { harnessSettings } from '../run-settings.ts';
import { describeRunStartTiming, encodeRunStartTiming, runStartTimingEnv } from '../cluster/run-start-timing.ts';
import { connectToCluster } from './cluster-connect.ts';

export default async function globalSetup(): Promise<void> {
  // First: a killed run's paused node is unpaused before its kubelet is read.
  await collectAtRunStart();
  const settings = harnessSettings();
  const cluster = await connectToCluster(settings, 'now');
  process.env[runStartTimingEnv] = encodeRunStartTiming(settings.context, cluster.timing, Date.now());
  process.stdout.write(`${describeRunStartTiming(cluster.timing)}\n`);
}
