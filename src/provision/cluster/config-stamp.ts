/**
 * Which kind-config a cluster was created from. `cluster up` reuses a healthy cluster, and a
 * healthy cluster created from an older kind-config.yaml (other controller flags, kubelet
 * settings) would go on being reused without a word. The rendered config's digest is
 * written into the control-plane container at creation and compared on the next up:
 * a cluster whose digest differs, or that has none, is recreated.
 */
import { createHash } from 'node:crypto';
import { dockerExec, dockerExecStatus } from '../../docker.ts';
import { clusterName } from '../../podlaw-cluster.ts';

const stampPath = '/etc/podlaw/kind-config.sha256';
const controlPlane = `${clusterName}-control-plane`;

/** The digest of a rendered kind config (pure). */
export function configDigest(rendered: string): string {
  return createHash('sha256').update(rendered).digest('hex');
}

/** Written once the cluster was created from `rendered`. */
export async function stampConfig(rendered: string): Promise<void> {
  await dockerExec(controlPlane, ['sh', '-c', `mkdir -p /etc/podlaw && printf '%s\\n' "$1" > ${stampPath}`, 'sh', configDigest(rendered)]);
}

/** The problem with the running cluster's config, if any (pure): undefined when it was created from `rendered`. */
export function configDrift(stamped: string | undefined, rendered: string): string | undefined {
  const expected = configDigest(rendered);
  if (stamped === undefined) return 'it carries no record of the kind-config it was created from (made before podlaw stamped one)';
  if (stamped !== expected) {
    return `it was created from another kind-config.yaml (sha256 ${stamped.slice(0, 12)}, this checkout renders ${expected.slice(0, 12)})`;
  }
  return undefined;
}

/** The digest stamped in the running control-plane container, or undefined when there is none. */
export async function readConfigStamp(): Promise<string | undefined> {
  const read = await dockerExecStatus(controlPlane, ['cat', stampPath]);
  const digest = read.exitCode === 0 ? read.stdout.trim() : '';
  return /^[0-9a-f]{64}$/.test(digest) ? digest : undefined;
}
