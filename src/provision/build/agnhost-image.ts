/**
 * registry.k8s.io/e2e-test-images/agnhost:2.63.0 from the agnhost binary the
 * Kubernetes step builds, laid out like test/images/agnhost/Dockerfile: /agnhost
 * (and /agnhost-2), /uploads for netexec, porter's test certificate, the user and
 * group some e2e tests expect, and a busybox shell because some subcommands run
 * `sh -c`. Upstream's alpine extras (curl, dig, iperf, the fake registry's data)
 * are not included.
 */
import { join } from 'node:path';
import { downloadModule } from '../lib/go-build.ts';
import { sha256File, type ImageArchive } from '../lib/image-archive.ts';
import type { Progress } from '../lib/progress.ts';
import { versions } from '../versions.ts';
import type { StepResult } from './cached-step.ts';
import type { BusyboxRoot } from './busybox.ts';
import { imageRefs } from './image-refs.ts';
import { cachedImage } from './image-step.ts';
import { minimalBaseEntries, stageLayer } from './layer-stage.ts';

export async function buildAgnhostImage(
  progress: Progress,
  agnhostBinary: string,
  busybox: StepResult<BusyboxRoot>,
): Promise<ImageArchive> {
  const image = await cachedImage(progress, {
    name: 'image-agnhost',
    spec: {
      ref: imageRefs.agnhost,
      entrypoint: ['/agnhost'],
      cmd: ['pause'],
      exposedPorts: ['80/tcp', '8080/tcp', '8081/tcp', '9376/tcp', '5000/tcp'],
    },
    inputs: { agnhost: await sha256File(agnhostBinary), kubernetes: versions.kubernetes, busyboxBuild: busybox.key, recipe: 1 },
    layers: async (stage) => {
      const porterDir = join((await downloadModule('k8s.io/kubernetes', versions.kubernetes)).dir, 'test', 'images', 'agnhost', 'porter');
      return [
        { dir: busybox.value.rootDir, createdBy: `podlaw: busybox ${busybox.value.debianVersion} (Debian busybox-static)` },
        {
          dir: stageLayer(join(stage, 'agnhost'), [
            ...minimalBaseEntries(
              ['user-defined-in-image:x:1000:1000::/home/user-defined-in-image:/bin/sh'],
              ['user-defined-in-image:x:1000:', 'group-defined-in-image:x:50000:user-defined-in-image'],
            ),
            { kind: 'file', path: 'agnhost', from: agnhostBinary },
            { kind: 'symlink', path: 'agnhost-2', target: 'agnhost' },
            { kind: 'dir', path: 'uploads', mode: 0o755 },
            { kind: 'file', path: 'localhost.crt', from: join(porterDir, 'localhost.crt') },
            { kind: 'file', path: 'localhost.key', from: join(porterDir, 'localhost.key') },
          ]),
          createdBy: `podlaw: agnhost ${versions.agnhost} from k8s.io/kubernetes@${versions.kubernetes}`,
        },
      ];
    },
  });
  return image.value;
}
