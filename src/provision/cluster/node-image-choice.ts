/**
 * Which node image `cluster up` creates the cluster from. The official kindest/node image at
 * the pinned Kubernetes version when it is on this host or can be pulled (online machines, CI):
 * then the offline node image (Debian root fs, kube-proxy image, node image assembly) is not
 * built. Otherwise — no registry, as on podlaw's own machines — the offline build, unchanged.
 * `PODLAW_NODE_IMAGE=offline` skips the lookup. The choice and its reason are printed.
 */
import { imageExists, pullImage } from '../../docker.ts';
import type { PullOutcome } from '../../docker.ts';
import { namedTimeout } from '../../kube/named-timeout.ts';
import type { NamedTimeout } from '../../kube/named-timeout.ts';
import { versions } from '../versions.ts';

/** The image kind publishes for the pinned release (the one the CI workflow names too). */
export const officialNodeImage = `kindest/node:${versions.kubernetes}`;

/**
 * A kindest/node image is about 0.5 GB compressed; 10 min lets a 1 MB/s link finish. A host
 * without registry access answers at once (DNS fails: 0.04 s measured here), so the bound only
 * matters on a network that drops packets instead of refusing.
 */
export const officialPullTimeout: NamedTimeout = namedTimeout('official node image pull (~0.5 GB at >= 1 MB/s: 10 min)', 600_000);

export const nodeImageEnv = 'PODLAW_NODE_IMAGE';

export interface OfficialImageLookup {
  readonly image: string;
  /** `docker image inspect` found it. */
  readonly present: boolean;
  /** The pull tried when it was not present; undefined when it was, or when the lookup was skipped. */
  readonly pull: PullOutcome | undefined;
  /** Why no lookup was made (the env override), if so. */
  readonly skipped?: string;
}

export type NodeImageChoice =
  | { readonly source: 'official'; readonly image: string; readonly reason: string }
  | { readonly source: 'offline-build'; readonly reason: string };

/** The choice from what the lookup found. Pure. */
export function chooseNodeImage(lookup: OfficialImageLookup): NodeImageChoice {
  if (lookup.skipped !== undefined) return { source: 'offline-build', reason: lookup.skipped };
  if (lookup.present) return { source: 'official', image: lookup.image, reason: `${lookup.image} is present locally` };
  if (lookup.pull?.ok === true) {
    return { source: 'official', image: lookup.image, reason: `${lookup.image} pulled in ${(lookup.pull.ms / 1000).toFixed(1)} s` };
  }
  const why =
    lookup.pull === undefined
      ? 'it was not pulled'
      : `docker pull failed after ${(lookup.pull.ms / 1000).toFixed(2)} s: ${lookup.pull.reason}`;
  return { source: 'offline-build', reason: `${lookup.image} is not present locally and ${why}` };
}

/** One line for the progress log. */
export function describeChoice(choice: NodeImageChoice): string {
  return choice.source === 'official'
    ? `node image: official ${choice.image} (${choice.reason}); the offline node image build is skipped`
    : `node image: offline build (${choice.reason})`;
}

/** Looks for `image` locally, else pulls it within `pullTimeout`. The image name is a parameter so tests can use a throwaway one. */
export async function lookUpOfficialImage(
  image: string = officialNodeImage,
  options: { readonly pullTimeout?: NamedTimeout; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<OfficialImageLookup> {
  const env = options.env ?? process.env;
  if (env[nodeImageEnv] === 'offline') return { image, present: false, pull: undefined, skipped: `${nodeImageEnv}=offline` };
  if (await imageExists(image)) return { image, present: true, pull: undefined };
  return { image, present: false, pull: await pullImage(image, (options.pullTimeout ?? officialPullTimeout).ms) };
}
