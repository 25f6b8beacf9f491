/**
 * podlaw.local/k6:<version> — the pinned k6 binary (scripts/build/k6.ts, static,
 * CGO off) on a minimal base, for the in-cluster load placement. It is not baked into
 * the node image (that would change the node image for a test-only tool); `cluster up`
 * imports it into the nodes' containerd (scripts/cluster/load-images.ts).
 */
import { join } from 'node:path';
import { sha256File, type ImageArchive } from '../lib/image-archive.ts';
import type { Progress } from '../lib/progress.ts';
import { versions } from '../versions.ts';
import { cachedImage } from './image-step.ts';
import { minimalBaseEntries, stageLayer } from './layer-stage.ts';

export const k6ImageRef = `podlaw.local/k6:${versions.k6}`;

export async function buildK6Image(progress: Progress, k6Binary: string): Promise<ImageArchive> {
  const image = await cachedImage(progress, {
    name: 'image-k6',
    spec: { ref: k6ImageRef, entrypoint: ['/usr/bin/k6'], user: '65532', workingDir: '/tmp', env: { K6_NO_USAGE_REPORT: 'true' } },
    inputs: { k6: await sha256File(k6Binary), version: versions.k6, recipe: 1 },
    layers: async (stage) => [
      {
        dir: stageLayer(join(stage, 'k6'), [...minimalBaseEntries(), { kind: 'file', path: 'usr/bin/k6', from: k6Binary }]),
        createdBy: `podlaw: k6 ${versions.k6} (go.k6.io/k6, CGO off) on a minimal base`,
      },
    ],
  });
  return image.value;
}
