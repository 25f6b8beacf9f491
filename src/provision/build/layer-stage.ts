/**
 * Lays out a directory that becomes one image layer. Modes are set explicitly, not
 * left to the umask, because they end up in the layer and hence in its digest.
 */
import { chmodSync, copyFileSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type StagedEntry =
  /** A host file, hard-linked when it can be (same file system), copied otherwise; keeps its mode. */
  | { readonly kind: 'file'; readonly path: string; readonly from: string }
  | { readonly kind: 'text'; readonly path: string; readonly content: string; readonly mode: number }
  | { readonly kind: 'dir'; readonly path: string; readonly mode: number }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string };

function ensureParents(root: string, path: string): void {
  const parts = dirname(path)
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  let current = root;
  for (const part of parts) {
    current = join(current, part);
    mkdirSync(current, { recursive: true });
    chmodSync(current, 0o755);
  }
}

export function stageLayer(root: string, entries: readonly StagedEntry[]): string {
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o755);
  for (const entry of entries) {
    const target = join(root, entry.path);
    ensureParents(root, entry.path);
    switch (entry.kind) {
      case 'file':
        try {
          linkSync(entry.from, target);
        } catch {
          copyFileSync(entry.from, target);
        }
        break;
      case 'text':
        writeFileSync(target, entry.content);
        chmodSync(target, entry.mode);
        break;
      case 'dir':
        mkdirSync(target, { recursive: true });
        chmodSync(target, entry.mode);
        break;
      case 'symlink':
        symlinkSync(entry.target, target);
        break;
    }
  }
  return root;
}

/**
 * What a distroless base gives a static binary and nothing more: users root,
 * nobody and nonroot (the uids upstream images run as), and a world-writable /tmp.
 */
export function minimalBaseEntries(extraPasswd: readonly string[] = [], extraGroup: readonly string[] = []): StagedEntry[] {
  const passwd = [
    'root:x:0:0:root:/root:/bin/sh',
    'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin',
    'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin',
    ...extraPasswd,
  ];
  const group = ['root:x:0:', 'nobody:x:65534:', 'nonroot:x:65532:', ...extraGroup];
  return [
    { kind: 'text', path: 'etc/passwd', content: `${passwd.join('\n')}\n`, mode: 0o644 },
    { kind: 'text', path: 'etc/group', content: `${group.join('\n')}\n`, mode: 0o644 },
    { kind: 'dir', path: 'root', mode: 0o700 },
    { kind: 'dir', path: 'tmp', mode: 0o1777 },
  ];
}
