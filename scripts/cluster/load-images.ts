/**
 * Images the nodes need besides those baked into the node image: imported into each
 * running node's containerd (what `kind load image-archive` does: ctr images import
 * into the k8s.io namespace), skipped on a node that already has the same image ID.
 */
import { containerState, dockerExec } from '../../src/docker.ts';
import type { ImageArchive } from '../lib/image-archive.ts';

async function hasImage(node: string, image: ImageArchive): Promise<boolean> {
  const listed = await dockerExec(node, ['ctr', '--namespace=k8s.io', 'images', 'ls', `name==${image.ref}`]);
  // The config digest is what crictl reports as the image ID.
  const inspected = listed.includes(image.ref)
    ? await dockerExec(node, ['crictl', 'inspecti', '-o', 'go-template', '--template', '{{.status.id}}', image.ref])
    : '';
  return inspected.trim() === image.imageId;
}

/** Imports into every running, unpaused node; returns the nodes it imported into. */
export async function loadImageIntoNodes(nodes: readonly string[], image: ImageArchive): Promise<string[]> {
  const loaded: string[] = [];
  for (const node of nodes) {
    const state = await containerState(node);
    if (!state.running || state.paused) continue;
    if (await hasImage(node, image)) continue;
    await dockerExec(node, ['ctr', '--namespace=k8s.io', 'images', 'import', '--all-platforms', '--digests', '-'], {
      inputFile: image.archive,
    });
    loaded.push(node);
  }
  return loaded;
}
