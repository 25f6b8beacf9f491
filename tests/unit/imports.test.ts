/**
 * The import rules of docs/architecture.md, checked on the source text: no import cycle in
 * src/, nothing in src/ imports scripts/, each layer of src/ imports only the layers below
 * it, and suites import only src/harness/index.ts (plus types of @playwright/test and
 * @kubernetes/client-node).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

interface ImportEdge {
  readonly from: string;
  /** Repository-relative path for relative specifiers, the package name otherwise. */
  readonly to: string;
  readonly typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/** Static imports and re-exports (`import … from`, `export … from`) and dynamic `import('…')`. */
function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(join(root, file), 'utf8');
  const edges: ImportEdge[] = [];
  const staticForm = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'([^']+)'/gm;
  const dynamicForm = /\bimport\(\s*'([^']+)'\s*\)/g;
  const toPath = (specifier: string): string =>
    specifier.startsWith('.') ? relative(root, resolve(root, dirname(file), specifier)) : specifier;
  for (const match of text.matchAll(staticForm)) {
    const names = match[3] ?? '';
    // `import { type A, type B }` is as type-only as `import type { A, B }`.
    const allTypes =
      /^\{[^}]*\}$/.test(names) &&
      names
        .slice(1, -1)
        .split(',')
        .every((n) => n.trim() === '' || n.trim().startsWith('type '));
    edges.push({ from: file, to: toPath(match[4] ?? ''), typeOnly: match[2] !== undefined || allTypes });
  }
  for (const match of text.matchAll(dynamicForm)) edges.push({ from: file, to: toPath(match[1] ?? ''), typeOnly: false });
  return edges;
}

/** The layer of a file under src/: its first directory, or the file itself for src/*.ts. */
function layerOf(path: string): string {
  const [, first, second] = path.split('/');
  return second === undefined ? 'base' : (first ?? 'base');
}

/**
 * Which layers each layer of src/ may import (besides itself), lowest first. `base` is
 * src/*.ts: errors, paths, run settings and naming, podlaw's cluster identity, docker, safety.
 */
const allowedLayers: Readonly<Record<string, readonly string[]>> = {
  base: [],
  kube: ['base'],
  cluster: ['base', 'kube'],
  net: ['base', 'kube'],
  laws: ['base', 'kube', 'cluster'],
  faults: ['base', 'kube', 'net'],
  timeline: ['base', 'kube', 'laws', 'faults'],
  lifecycle: ['base', 'kube', 'faults'],
  load: ['base', 'kube', 'cluster', 'net', 'laws', 'faults', 'timeline'],
  report: ['base', 'laws', 'timeline'],
  cleanup: ['base', 'kube', 'faults', 'lifecycle'],
  harness: ['base', 'kube', 'cluster', 'net', 'laws', 'faults', 'timeline', 'lifecycle', 'load', 'report'],
  provision: ['base', 'kube', 'cluster', 'net', 'faults', 'lifecycle', 'load'],
  gameday: ['base', 'kube', 'cluster', 'net', 'laws', 'faults', 'timeline', 'lifecycle', 'load', 'report'],
  cli: ['base', 'kube', 'laws', 'report', 'cleanup', 'provision', 'gameday'],
};

const srcFiles = sourceFiles('src');
const srcEdges = srcFiles.flatMap(importsOf);

describe('import rules', () => {
  it('src/ has no import cycle', () => {
    const graph = new Map<string, string[]>(srcFiles.map((f) => [f, []]));
    for (const edge of srcEdges) if (graph.has(edge.to)) graph.get(edge.from)?.push(edge.to);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of srcFiles) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  it('nothing in src/ imports scripts/', () => {
    assert.deepEqual(
      srcEdges.filter((e) => e.to.startsWith('scripts/')).map((e) => `${e.from} → ${e.to}`),
      [],
    );
  });

  it('each layer of src/ imports only the layers below it', () => {
    const violations = srcEdges
      .filter((e) => e.to.startsWith('src/'))
      .filter((e) => {
        const from = layerOf(e.from);
        const to = layerOf(e.to);
        return from !== to && !(allowedLayers[from] ?? []).includes(to);
      })
      .map((e) => `${e.from} (${layerOf(e.from)}) → ${e.to} (${layerOf(e.to)})`);
    assert.deepEqual(violations, []);
  });

  it('every layer of src/ is known to the rules', () => {
    assert.deepEqual(
      [...new Set(srcFiles.map(layerOf))].filter((layer) => allowedLayers[layer] === undefined),
      [],
    );
  });

  it('suites import only src/harness/index.ts, and only types of the Playwright and Kubernetes clients', () => {
    const violations = sourceFiles('suites')
      .flatMap(importsOf)
      .filter((e) => {
        if (e.to === 'src/harness/index.ts') return false;
        return !((e.to === '@playwright/test' || e.to === '@kubernetes/client-node') && e.typeOnly);
      })
      .map((e) => `${e.from} → ${e.to}${e.typeOnly ? ' (types)' : ''}`);
    assert.deepEqual(violations, []);
  });
});
