import { test } from 'node:test';
import assert from 'node:assert/strict';
import { focusFor, matchesSpec, upstreamRules } from '../../src/provision/lib/upstream-rules.ts';
import { specResults } from '../../src/provision/lib/bench-upstream.ts';
import { isLawId } from '../../src/laws/catalog/index.ts';

test('every upstream rule names a law of the catalog', () => {
  for (const rule of upstreamRules) assert.ok(isLawId(rule.law), rule.law);
});

test("a focus escapes the spec's regex characters and allows labels between container and It", () => {
  const spec = ['Probing container', 'should *not* be restarted by liveness probe because startup probe delays it'] as const;
  assert.equal(
    focusFor(spec),
    '(^|\\] )Probing container.* should \\*not\\* be restarted by liveness probe because startup probe delays it',
  );
  const taint = ['NoExecuteTaintManager Single Pod', 'evicts pods from tainted nodes'] as const;
  assert.ok(matchesSpec('[sig-node] NoExecuteTaintManager Single Pod [Serial] evicts pods from tainted nodes', taint));
  const hook = ['Container Lifecycle Hook when create a pod with lifecycle hook', 'should execute poststart http hook properly'] as const;
  const sidecarHook =
    '[sig-node] [NodeConformance] Restartable Init Container Lifecycle Hook when create a pod with lifecycle hook should execute poststart http hook properly';
  assert.ok(!matchesSpec(sidecarHook, hook), 'the restartable init container variant is another spec');
});

test('each spec matches its own upstream text and no other spec of the table', () => {
  const specs = upstreamRules.flatMap((r) => r.specs);
  for (const spec of specs) {
    const fullText = `[sig-node] ${spec[0]} ${spec[1]} [NodeConformance] [Conformance]`;
    assert.deepEqual(
      specs.filter((other) => matchesSpec(fullText, other)),
      [spec],
      fullText,
    );
  }
});

test("Ginkgo's JSON report: only It specs, full text joined, run time in ms, first line of a failure", () => {
  const report = [
    {
      SpecReports: [
        { LeafNodeType: 'SynchronizedBeforeSuite', State: 'passed', RunTime: 5e9 },
        {
          ContainerHierarchyTexts: ['[sig-node] Probing container'],
          LeafNodeText: 'should be restarted startup probe fails',
          LeafNodeType: 'It',
          State: 'failed',
          RunTime: 74_600_000_000,
          Failure: { Message: 'timed out\nmore' },
        },
      ],
    },
  ];
  assert.deepEqual(specResults(report), [
    { text: '[sig-node] Probing container should be restarted startup probe fails', state: 'failed', ms: 74_600, failure: 'timed out' },
  ]);
});
