/**
 * Playwright globalSetup: the run-start collection (src/lifecycle/run-start.ts), then the cluster's timing, read once
 * while no fault of this run holds a node, and handed to every worker (src/cluster/run-start-timing.ts). The teardown
 * it returns removes the hand-off file once the workers are done.
 */
import runStartCollection from '../lifecycle/run-start.ts';
import { harnessSettings } from '../run-settings.ts';
import { describeRunStartTiming, removeRunStartTiming, runStartTimingEnv, writeRunStartTiming } from '../cluster/run-start-timing.ts';
import { connectToCluster } from './cluster-connect.ts';

export default async function globalSetup(): Promise<() => void> {
  // First: a killed run's paused node is unpaused before its kubelet is read.
  await runStartCollection();
  const settings = harnessSettings();
  const cluster = await connectToCluster(settings, 'now');
  const path = writeRunStartTiming(settings.runId, settings.context, cluster.timing);
  process.env[runStartTimingEnv] = path;
  process.stdout.write(`${describeRunStartTiming(cluster.timing)}\n`);
  return () => removeRunStartTiming(path);
}
