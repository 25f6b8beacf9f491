/**
 * The nginx image the upstream e2e tests name (test/utils/image/manifest.go of the pinned
 * release: registry.k8s.io/e2e-test-images/nginx:1.15-4, a mirror of the stock nginx image),
 * built offline from Debian's nginx and the libraries it links, with busybox for the shell
 * that tests exec into it (the PreStop spec's hook runs `sh -c`). Like the stock image it
 * runs `nginx -g 'daemon off;'` as root with worker processes as user nginx, answers on
 * port 80 from /usr/share/nginx/html and logs to the container's stdout and stderr.
 * Only the upstream speed bench imports it into the nodes; the node image does not carry it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { PodlawError } from '../../errors.ts';
import { debCandidateVersion, fetchDeb } from '../lib/apt.ts';
import type { ImageArchive } from '../lib/image-archive.ts';
import type { Progress } from '../lib/progress.ts';
import { versions } from '../versions.ts';
import { buildBusyboxRoot } from './busybox.ts';
import { cachedStep, type StepResult } from './cached-step.ts';
import { cachedImage } from './image-step.ts';
import { minimalBaseEntries, stageLayer, type StagedEntry } from './layer-stage.ts';

export const upstreamNginxRef = 'registry.k8s.io/e2e-test-images/nginx:1.15-4';

/** Debian's nginx and what it links (its Depends, less iproute2 and the config package, whose files are replaced below). */
const nginxPackages = ['nginx', 'libc6', 'libcrypt1', 'libpcre2-8-0', 'libssl3', 'zlib1g'] as const;
/** Only mime.types is taken from nginx-common; the configuration is the stock image's shape. */
const configPackage = 'nginx-common';

/** The stock image's configuration, with Debian's compiled-in paths (temp files under /var/lib/nginx). */
const nginxConf = `user nginx;
worker_processes auto;
error_log /dev/stderr notice;
pid /run/nginx.pid;
events {
    worker_connections 1024;
}
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log /dev/stdout;
    sendfile on;
    keepalive_timeout 65;
    server {
        listen 80;
        listen [::]:80;
        server_name localhost;
        location / {
            root /usr/share/nginx/html;
            index index.html index.htm;
        }
    }
}
`;

const indexHtml = `<!DOCTYPE html>
<html>
<head><title>Welcome to nginx!</title></head>
<body><h1>Welcome to nginx!</h1></body>
</html>
`;

interface NginxRoot {
  readonly rootDir: string;
  readonly debianVersion: string;
}

async function buildNginxRoot(progress: Progress): Promise<StepResult<NginxRoot>> {
  const pin = async (name: string): Promise<{ name: string; version: string }> => ({ name, version: await debCandidateVersion(name) });
  const libraries = await Promise.all(nginxPackages.map(pin));
  const config = await pin(configPackage);
  const debianVersion = libraries[0]?.version ?? '?';
  return cachedStep(
    progress,
    {
      name: 'nginx',
      detail: `Debian ${versions.debianSuite} nginx ${debianVersion} and its libraries`,
      inputs: {
        packages: [...libraries, config].map((p) => `${p.name}=${p.version}`).join(','),
        debianSuite: versions.debianSuite,
        recipe: 1,
      },
    },
    async (out) => {
      const root = join(out, 'root');
      for (const p of libraries) await fetchDeb(p.name, root, p.version);
      const common = join(out, 'common');
      await fetchDeb(config.name, common, config.version);
      // Documentation and locales are not part of a runtime image; Debian's configuration is replaced below.
      for (const dir of [
        'usr/share/doc',
        'usr/share/man',
        'usr/share/lintian',
        'usr/share/locale',
        'etc/nginx',
        'etc/init.d',
        'etc/logrotate.d',
      ]) {
        rmSync(join(root, dir), { recursive: true, force: true });
      }
      const entries: StagedEntry[] = [
        { kind: 'file', path: 'etc/nginx/mime.types', from: join(common, 'etc', 'nginx', 'mime.types') },
        { kind: 'text', path: 'etc/nginx/nginx.conf', content: nginxConf, mode: 0o644 },
        { kind: 'text', path: 'usr/share/nginx/html/index.html', content: indexHtml, mode: 0o644 },
        { kind: 'dir', path: 'var/lib/nginx', mode: 0o755 },
        // Debian's nginx opens its compiled-in error log before reading the configuration.
        { kind: 'dir', path: 'var/log/nginx', mode: 0o755 },
        { kind: 'dir', path: 'run', mode: 0o755 },
      ];
      stageLayer(root, entries);
      rmSync(common, { recursive: true, force: true });
      const check = await execa(join(root, 'usr', 'sbin', 'nginx'), ['-V'], {
        reject: false,
        all: true,
        env: { LD_LIBRARY_PATH: ['lib/x86_64-linux-gnu', 'usr/lib/x86_64-linux-gnu'].map((d) => join(root, d)).join(':') },
      });
      if (check.failed) {
        throw new PodlawError(
          'build',
          `nginx -V from Debian ${debianVersion} failed (${check.exitCode ?? 'not started'})`,
          'check the nginx package and its libraries',
          {
            detail: check.all ?? '',
          },
        );
      }
    },
    (dir) => ({ rootDir: join(dir, 'root'), debianVersion }),
  );
}

export async function buildE2eNginxImage(progress: Progress): Promise<ImageArchive> {
  const busybox = await buildBusyboxRoot(progress);
  const nginx = await buildNginxRoot(progress);
  const image = await cachedImage(progress, {
    name: 'image-e2e-nginx',
    spec: { ref: upstreamNginxRef, cmd: ['nginx', '-g', 'daemon off;'], exposedPorts: ['80/tcp'] },
    inputs: { busyboxBuild: busybox.key, nginxBuild: nginx.key, recipe: 1 },
    layers: async (stage) => [
      { dir: busybox.value.rootDir, createdBy: `podlaw: busybox ${busybox.value.debianVersion} (Debian busybox-static)` },
      { dir: nginx.value.rootDir, createdBy: `podlaw: nginx ${nginx.value.debianVersion} (Debian) and its libraries` },
      {
        dir: stageLayer(join(stage, 'base'), minimalBaseEntries(['nginx:x:101:101:nginx:/nonexistent:/sbin/nologin'], ['nginx:x:101:'])),
        createdBy: 'podlaw: minimal base (passwd with user nginx, group, tmp)',
      },
    ],
  });
  return image.value;
}
