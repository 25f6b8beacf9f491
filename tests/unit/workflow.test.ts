/**
 * .github/workflows/podlaw.yml, the CI workflow users copy, linted by actionlint (built from its
 * Go module on first use and cached under ~/.cache/podlaw, src/provision/build/actionlint.ts),
 * and the parts a user relies on: the official kindest/node image at the pinned Kubernetes
 * version, sharding with --shard over the matrix, JUnit and the HTML summary uploaded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { ensureActionlint } from '../../src/provision/build/actionlint.ts';
import { versions } from '../../src/provision/versions.ts';

const root = resolve(import.meta.dirname, '..', '..');
const workflowPath = join(root, '.github/workflows/podlaw.yml');
const workflow = readFileSync(workflowPath, 'utf8');

async function actionlint(file: string): Promise<{ exitCode: number | undefined; output: string }> {
  const result = await execa(await ensureActionlint(), ['-no-color', '-oneline', file], { reject: false });
  return { exitCode: result.exitCode, output: `${String(result.stdout)}${String(result.stderr)}` };
}

test('actionlint finds nothing in the workflow', { timeout: 10 * 60_000 }, async () => {
  const { exitCode, output } = await actionlint(workflowPath);
  assert.equal(exitCode, 0, output);
});

test('actionlint is really applied: a broken copy is flagged', { timeout: 10 * 60_000 }, async () => {
  const broken = join(mkdtempSync(join(tmpdir(), 'podlaw-workflow-')), 'broken.yml');
  writeFileSync(broken, workflow.replace('${{ matrix.shard }}/${{ env.SHARDS }}', '${{ matrix.shards }}/${{ env.SHARDS }}'));
  const { exitCode, output } = await actionlint(broken);
  assert.equal(exitCode, 1, output);
  assert.match(output, /property "shards" is not defined/);
});

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Readonly<Record<string, unknown>>;
}
interface Workflow {
  readonly env: Readonly<Record<string, unknown>>;
  readonly jobs: Readonly<Record<string, { readonly steps: readonly Step[]; readonly strategy?: { matrix: { shard: number[] } } }>>;
}

test('the official node image at the pinned versions, one shard per matrix entry, JUnit and HTML uploaded', () => {
  const parsed = parse(workflow) as Workflow;
  assert.equal(parsed.env['NODE_IMAGE'], `kindest/node:${versions.kubernetes}`);
  assert.equal(parsed.env['KIND_VERSION'], versions.kind);
  const laws = parsed.jobs['laws'];
  assert.ok(laws !== undefined);
  assert.deepEqual(
    laws.strategy?.matrix.shard,
    Array.from({ length: Number(parsed.env['SHARDS']) }, (_, i) => i + 1),
  );
  assert.ok(laws.steps.some((s) => s.uses?.startsWith('helm/kind-action@') === true && s.with?.['node_image'] === '${{ env.NODE_IMAGE }}'));
  assert.ok(laws.steps.some((s) => s.run?.includes('npx podlaw run') === true && s.run.includes('--shard "$SHARD"')));
  const uploads = Object.values(parsed.jobs)
    .flatMap((job) => job.steps)
    .filter((s) => s.uses?.startsWith('actions/upload-artifact@') === true)
    .map((s) => String(s.with?.['path']));
  assert.ok(uploads.some((p) => p.includes('junit.xml') && p.includes('index.html')));
});
