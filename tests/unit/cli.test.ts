/**
 * The CLI's pure parts (law selection, closest-id suggestion, the --grep it builds) and the
 * exits a user sees before any cluster work: --help, --version, a bad id, an empty selection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closestIds, editDistance, grepForLaws, grepWithSmokeChecks, matchFamilies, selectLaws } from '../../src/cli/selection.ts';
import { selectedBeyondSmoke } from '../../src/report/run-records.ts';
import { PodlawError, exitCodes } from '../../src/errors.ts';

const catalog = [
  { id: 'PRB-1', family: 'Probes and restarts' },
  { id: 'PRB-2', family: 'Probes and restarts' },
  { id: 'PRB-10', family: 'Probes and restarts' },
  { id: 'NPE-1', family: 'Node-pressure eviction and QoS' },
  { id: 'NPE-2', family: 'Node-pressure eviction and QoS' },
  { id: 'NOD-1', family: 'Node loss and rescheduling' },
];

test('ids, id prefixes and families select the union, in catalog order', () => {
  const ids = (law: readonly string[], family: readonly string[]): string[] =>
    (selectLaws(law, family, catalog).laws ?? []).map((l) => l.id);
  assert.deepEqual(ids(['prb-2,NPE'], []), ['PRB-2', 'NPE-1', 'NPE-2']);
  assert.deepEqual(ids([], ['node loss AND rescheduling']), ['NOD-1']);
  assert.deepEqual(ids(['NPE-1'], ['node-loss']), ['NPE-1', 'NOD-1']);
  assert.equal(selectLaws([], [], catalog).laws, undefined);
});

test('short family names match leading words only', () => {
  const families = [...new Set(catalog.map((l) => l.family))];
  assert.deepEqual(matchFamilies('probes', families), ['Probes and restarts']);
  assert.deepEqual(matchFamilies('node', families), ['Node-pressure eviction and QoS', 'Node loss and rescheduling']);
  assert.deepEqual(matchFamilies('restarts', families), []);
});

test('an unknown id is a usage error naming the closest ids', () => {
  assert.equal(editDistance('PRB-99', 'PRB-9'), 1);
  assert.deepEqual(
    closestIds(
      'PRB-99',
      catalog.map((l) => l.id),
    ),
    ['PRB-1', 'PRB-2', 'PRB-10'],
  );
  assert.throws(
    () => selectLaws(['PRB-99'], [], catalog),
    (error: unknown) =>
      error instanceof PodlawError && error.exitCode === exitCodes.usage && error.oneLine().includes('PRB-1, PRB-2, PRB-10'),
  );
});

test('a selection matching no law is a usage error', () => {
  assert.throws(
    () => selectLaws([], ['nothing'], catalog),
    (error: unknown) => error instanceof PodlawError && error.exitCode === 2 && !error.oneLine().includes('\n'),
  );
});

test('the grep matches the tags of exactly the selected laws', () => {
  const grep = new RegExp(
    grepForLaws([
      { id: 'PRB-1', family: '' },
      { id: 'NPE-2', family: '' },
    ]),
  );
  assert.ok(grep.test('liveness @PRB-1'));
  assert.ok(grep.test('x @NOD-1 @NPE-2'));
  assert.ok(!grep.test('x @PRB-10'));
  assert.ok(!grep.test('x @PRB-2'));
});

test('a run of a few laws still selects the smoke checks, and nothing else besides', () => {
  const grep = new RegExp(grepWithSmokeChecks(grepForLaws([{ id: 'PRB-1', family: '' }]), '@smoke'));
  assert.ok(grep.test('liveness @PRB-1'));
  assert.ok(grep.test('every node is Ready @smoke'));
  assert.ok(!grep.test('x @PRB-10'));
  assert.ok(!grep.test('x @NOD-1'));
  // A user's alternation stays inside its group.
  const user = new RegExp(grepWithSmokeChecks('^a|b$', '@smoke'));
  assert.ok(user.test('a x') && user.test('x b') && !user.test('x a x'));
  // Playwright's "/source/flags" form keeps its flags, with the smoke tag inside.
  assert.equal(grepWithSmokeChecks('/liveness/i', '@smoke'), '/(?:liveness)|@smoke/i');
});

test('a selection that ran only the smoke checks is told apart from one that ran more', () => {
  const report = (projects: string[]): Parameters<typeof selectedBeyondSmoke>[0] => ({
    suites: [{ suites: [{ specs: projects.map((projectName) => ({ title: 't', tests: [{ projectName, results: [] }] })) }] }],
  });
  assert.equal(selectedBeyondSmoke(report(['smoke', 'smoke']), 'smoke'), false);
  assert.equal(selectedBeyondSmoke(report(['smoke', 'laws']), 'smoke'), true);
  assert.equal(selectedBeyondSmoke({ suites: [] }, 'smoke'), false);
});

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/podlaw', import.meta.url));

function podlaw(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(bin, args, { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the bin answers --help, run --help and --version with exit 0', () => {
  const help = podlaw('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: podlaw \[options\] \[command\]/);
  for (const command of ['run', 'list', 'clean']) {
    const commandHelp = podlaw(command, '--help');
    assert.equal(commandHelp.status, 0, command);
    assert.match(commandHelp.stdout, new RegExp(`^Usage: podlaw ${command}[ |]`));
  }
  const version = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;
  assert.deepEqual(podlaw('--version'), { status: 0, stdout: `${version}\n`, stderr: '' });
});

test('a bad id and an empty selection exit 2 with one line, before connecting', () => {
  const bad = podlaw('run', '--law', 'PRB-99');
  assert.equal(bad.status, exitCodes.usage);
  assert.equal(bad.stderr.trimEnd().split('\n').length, 1);
  assert.match(bad.stderr, /unknown law "PRB-99" — closest: PRB-1/);
  const empty = podlaw('run', '--family', 'nothing');
  assert.equal(empty.status, exitCodes.usage);
  assert.match(empty.stderr, /matches no law/);
  assert.equal(podlaw('frobnicate').status, exitCodes.usage);
});
