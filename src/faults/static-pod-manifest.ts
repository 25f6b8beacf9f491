/**
 * A static pod: a pod manifest written into a kind node's staticPodPath, which that node's
 * kubelet runs itself (its file source) and mirrors into the API server as a mirror pod.
 * https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/
 *
 * The file is named podlaw-<run id>-<pod>.yaml, so the sweeper finds the one a killed run
 * left and the run that owns it is named in it. It is written under a dot name first and
 * renamed: the kubelet's file source skips names starting with "." (pkg/kubelet/config/file.go,
 * extractFromDir), so it never reads a half-written manifest. Recovery removes the file; the
 * kubelet then stops the pod and deletes its mirror. The kubelet itself is never restarted.
 */
import type { Fault, FaultSpec } from './fault.ts';
import { inNode, inNodeStatus } from './node-exec.ts';
import { containerState } from '../docker.ts';

export const staticPodManifestKind = 'static-pod-manifest';

/** The kubelet's default staticPodPath on kubeadm (and kind) nodes, when configz does not say. */
export const documentedStaticPodPath = '/etc/kubernetes/manifests';

const filePattern = /^podlaw-([a-z0-9]+)-([a-z0-9-]+)\.yaml$/;

/** podlaw's file name for a static pod manifest of a run (pure). */
export function staticPodFileName(runId: string, pod: string): string {
  const name = `podlaw-${runId}-${pod}.yaml`;
  if (!filePattern.test(name)) throw new Error(`run id ${runId} and pod ${pod} do not make a podlaw static pod file name`);
  return name;
}

/** The run id and pod of a podlaw static pod file name, or undefined for anyone else's file (pure). */
export function parseStaticPodFileName(name: string): { readonly runId: string; readonly pod: string } | undefined {
  const match = filePattern.exec(name);
  return match === null ? undefined : { runId: match[1] ?? '', pod: match[2] ?? '' };
}

export class StaticPodManifestFault implements Fault {
  readonly sweepable = true;
  readonly spec: FaultSpec & { readonly target: { readonly node: string } };
  readonly description: string;
  readonly #node: string;
  readonly #path: string;
  readonly #manifest: string;

  /** `manifest` is the pod as YAML or JSON; `directory` the node's staticPodPath. */
  constructor(node: string, directory: string, fileName: string, manifest: string) {
    if (parseStaticPodFileName(fileName) === undefined) throw new Error(`${fileName} is not a podlaw static pod file name`);
    this.#node = node;
    this.#path = `${directory.replace(/\/+$/, '')}/${fileName}`;
    this.#manifest = manifest;
    this.spec = { kind: staticPodManifestKind, target: { node }, params: { path: this.#path } };
    this.description = `static pod manifest ${this.#path} on ${node}`;
  }

  get path(): string {
    return this.#path;
  }

  async inject(): Promise<void> {
    const slash = this.#path.lastIndexOf('/');
    const hidden = `${this.#path.slice(0, slash)}/.${this.#path.slice(slash + 1)}`;
    // The manifest goes as an argument, never through a shell's parsing of its text.
    await inNode(this.#node, ['sh', '-c', 'printf "%s" "$1" > "$2" && mv "$2" "$3"', 'sh', this.#manifest, hidden, this.#path]);
  }

  /** Idempotent: removes the file (and a half-written one); a stopped or gone node container needs nothing. */
  async recover(): Promise<void> {
    await removeStaticPodFile(this.#node, this.#path);
  }
}

/** Removes one static pod manifest from a running node container; nothing to do when it is not running. */
export async function removeStaticPodFile(node: string, path: string): Promise<void> {
  const state = await containerState(node);
  if (!state.running || state.paused) return;
  const slash = path.lastIndexOf('/');
  await inNode(node, ['rm', '-f', path, `${path.slice(0, slash)}/.${path.slice(slash + 1)}`]);
}

/** podlaw's static pod manifests in a running node container's directory (none when it is stopped or paused). */
export async function podlawStaticPodFiles(node: string, directory: string = documentedStaticPodPath): Promise<string[]> {
  const state = await containerState(node);
  if (!state.running || state.paused) return [];
  const listing = await inNodeStatus(node, ['ls', '-A', directory]);
  if (listing.exitCode !== 0) return [];
  return listing.stdout
    .split('\n')
    .map((name) => name.trim().replace(/^\./, ''))
    .filter((name) => parseStaticPodFileName(name) !== undefined)
    .filter((name, index, all) => all.indexOf(name) === index)
    .map((name) => `${directory.replace(/\/+$/, '')}/${name}`);
}
