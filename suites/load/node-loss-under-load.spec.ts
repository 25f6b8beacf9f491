/**
 * Node loss under load (NOD-4, as a client sees it) — "the node controller … marks
 * the Pods on the node as not ready" once the node's Ready condition turns Unknown,
 * after node-monitor-grace-period; the EndpointSlice controller then drops them from
 * service. Until then kube-proxy keeps sending new connections to the lost pod.
 * https://kubernetes.io/docs/concepts/architecture/nodes/#node-status
 *
 * What a client sees depends on what the loss took away:
 * - a paused or stopped node takes its pods with it: requests sent to the lost pod fail
 *   from the loss until its endpoint leaves service (grace period + propagation), then none;
 * - a stopped kubelet or a node cut from the API server leaves its pods running and their
 *   forwarded traffic untouched (src/faults/node-partition.ts): no request fails, and the
 *   lost pod stops receiving requests once its endpoint leaves service.
 * Each kind runs on a loss worker in that slot's project (playwright.config.ts), so no
 * other test faults the node meanwhile.
 */
import {
  test,
  expect,
  law,
  notApplicable,
  nodeLossFault,
  nodeReturnBudget,
  nodeContainerExists,
  waitForEndpoint,
  namedTimeout,
  waitForObject,
  nodeNotReady,
  tolerances,
  timeouts,
  destructiveFaultRefusal,
  failuresAfter,
  propagation,
  waitForReadyPods,
  EndpointChanges,
  readProxySync,
  LoadSession,
  nodeReadyStatus,
  lossWorkerFor,
  onLossWorker,
  lateFailures,
  watchNodePortFlows,
  type LossSlot,
  type NodeLossKind,
} from '../../src/harness/index.ts';

/** What the loss does to the lost pod's own traffic. */
type Served = 'unreachable' | 'keeps serving';

function lossUnderLoad(kind: NodeLossKind, slot: LossSlot, served: Served, title: string): void {
  test(title, law('NOD-4'), async ({ cluster, namespace, objects, watch, faults, timeline, check }, testInfo) => {
    const refusal = await destructiveFaultRefusal(cluster.settings.context);
    if (refusal !== undefined) notApplicable(testInfo, refusal);
    const lost = await lossWorkerFor(cluster.kube, slot);
    if (lost === undefined) notApplicable(testInfo, `no worker labelled podlaw.dev/role=loss for slot ${slot}`);
    const stays = (await cluster.kube.core.listNode({ labelSelector: 'podlaw.dev/role=general' })).items[0]?.metadata?.name;
    if (stays === undefined) notApplicable(testInfo, 'no worker labelled podlaw.dev/role=general to keep serving');
    if (!(await nodeContainerExists(lost))) notApplicable(testInfo, `node ${lost} is not a kind node container on this host`);
    await waitForObject(watch.nodes, lost, (n) => nodeReadyStatus(n) === 'True', {
      description: `node ${lost} Ready before the fault`,
      timeout: namedTimeout('node already Ready (none expected)', 5_000),
    });

    const name = 'web';
    await objects.apply('load/netexec-two-nodes.yaml', { name, stays, lost });
    const pods = await waitForReadyPods(watch, 2, timeouts.podStart);
    const victim = pods.find((p) => p.spec?.nodeName === lost)?.metadata?.name ?? '';
    expect(victim, `a pod on ${lost}`).not.toBe('');
    const proxy = await readProxySync(cluster.kube);
    const notReady = nodeNotReady(cluster.timing);
    const durationSeconds = Math.ceil(notReady.maxMs / 1000) + 30;
    const ratePerSecond = 20;
    // Started before the load, so the "before" phase's own connections prove it sees every new flow.
    const flows = await watchNodePortFlows(cluster, namespace, name, durationSeconds + 120);
    const load = await LoadSession.start(
      cluster,
      namespace,
      {
        law: 'NOD-4',
        service: name,
        scenario: {
          name: `node_loss_${kind.replace('-', '_')}`,
          ratePerSecond,
          durationSeconds,
          requestTimeoutMs: 2000,
          thresholds: {},
        },
        steadySeconds: 3,
      },
      timeline,
    );
    const changes = new EndpointChanges(watch.endpointSlices, name);

    const fault = nodeLossFault(kind, lost, cluster.kube);
    // The loss starts with the injection: docker stop, for one, shuts the node's systemd (and its pods) down before it returns.
    const lostAt = Date.now();
    load.phase(`${kind} of ${lost}`, lostAt);
    await faults.inject(fault);
    // The fault took effect: the node controller stopped hearing from the node.
    await waitForObject(watch.nodes, lost, (n) => nodeReadyStatus(n) === 'Unknown', {
      description: `node ${lost} Ready=Unknown after ${kind}`,
      timeout: namedTimeout(`${notReady.formula} + ${tolerances.statusPropagation.name}`, notReady.maxMs + tolerances.statusPropagation.ms),
    });
    await waitForEndpoint(
      watch,
      name,
      victim,
      (e) => e?.conditions?.ready !== true,
      'not ready',
      namedTimeout(tolerances.statusPropagation.name, tolerances.statusPropagation.ms),
    );
    const leftAt = changes.leftServiceAt(victim) ?? Date.now();
    const bound = namedTimeout(
      `kube-proxy minSyncPeriod ${proxy.minSyncMs / 1000} s + ${tolerances.statusPropagation.name}`,
      proxy.minSyncMs + tolerances.statusPropagation.ms,
    );
    load.phase('after endpoint removal + propagation', leftAt + bound.ms);
    const outcome = await load.finish();
    changes.stop();
    const synSentSeconds = typeof flows === 'string' ? undefined : await flows.synSentTimeoutSeconds();
    if (typeof flows !== 'string') await flows.stop();
    await faults.recover(fault);
    await waitForObject(watch.nodes, lost, (n) => nodeReadyStatus(n) === 'True', {
      description: `node ${lost} Ready again`,
      timeout: nodeReturnBudget,
    });

    const records = outcome.result.records;
    await load.report(testInfo, outcome, [propagation(records, victim, leftAt)]);
    const removal = `endpoint removal (${((leftAt - lostAt) / 1000).toFixed(1)} s after the loss; ${notReady.formula}) + ${bound.name}`;
    const sources = `${notReady.source}; ${proxy.source}`;
    const before = failuresAfter(records, load.steadySinceMs).filter((r) => r.startMs < lostAt);
    check.fact('failed requests before the loss', '0', String(before.length), 'k6 per-request log', before.length === 0);
    const failed = failuresAfter(records, lostAt);
    const first = failed[0]?.startMs;
    const last = failed.at(-1)?.startMs;
    const since = (t: number): string => `${((t - lostAt) / 1000).toFixed(2)} s`;
    const lateAnswers = records.filter((r) => r.pod === victim && r.startMs > leftAt + bound.ms);
    check.fact(
      `requests answered by the lost pod after ${removal}`,
      '0',
      lateAnswers.length === 0 ? '0' : `${lateAnswers.length}, the last ${since(lateAnswers.at(-1)?.startMs ?? 0)} after the loss`,
      sources,
      lateAnswers.length === 0,
    );
    const settled = leftAt + bound.ms;
    let afterRemoval = failuresAfter(records, settled);
    if (typeof flows === 'string') {
      check.fact('new connections seen at the NodePort (conntrack)', 'read', `not read: ${flows}`, 'conntrack -E on the entry node', true);
    } else {
      const victimIp = pods.find((p) => p.metadata?.name === victim)?.status?.podIP ?? '';
      const beforeFlows = flows.flows.filter((f) => f.atMs >= load.steadySinceMs && f.atMs < lostAt).length;
      // The monitor was alive: it saw the connections of the steady phase before the loss.
      expect(beforeFlows, 'conntrack NEW flows seen before the loss (the monitor is alive)').toBeGreaterThan(0);
      const newToLost = flows.flows.filter((f) => f.endpoint === victimIp && f.atMs >= settled);
      check.fact(
        `new connections sent to the lost pod (${victimIp}) after ${removal}`,
        '0',
        String(newToLost.length),
        `conntrack NEW flows at the control-plane node; ${proxy.source}`,
        newToLost.length === 0,
      );
      const split = lateFailures(records, flows.flows, settled, ratePerSecond);
      const lastFlowToLost = Math.max(0, ...flows.flows.filter((f) => f.endpoint === victimIp).map((f) => f.atMs));
      const expiry = synSentSeconds === undefined ? undefined : lastFlowToLost + synSentSeconds * 1000;
      const outlived = split.onReusedTuples.filter((r) => expiry === undefined || r.startMs > expiry);
      // The client reused the source port of a failed connection whose SYN_SENT entry conntrack still held: the request
      // followed that entry to the lost pod. kube-proxy flushes conntrack for UDP only; the entry expires on its own.
      check.fact(
        'failed requests after endpoint removal on a reused conntrack tuple (no new flow of their own)',
        `only while an entry to the lost pod lives: nf_conntrack_tcp_timeout_syn_sent ${synSentSeconds ?? '?'} s after its last flow`,
        split.onReusedTuples.length === 0
          ? '0'
          : `${split.onReusedTuples.length} (k6 error ${[...new Set(split.onReusedTuples.map((r) => r.errorCode))].join('/')}), ` +
              `${split.onReusedTuples.map((r) => since(r.startMs)).join(', ')} after the loss`,
        'conntrack NEW flows at the control-plane node; /proc/sys/net/netfilter/nf_conntrack_tcp_timeout_syn_sent',
        outlived.length === 0,
      );
      afterRemoval = [...split.onNewFlows];
    }
    check.fact(
      'failed requests on new connections once the endpoint left service (+ propagation)',
      '0',
      String(afterRemoval.length),
      sources,
      afterRemoval.length === 0,
    );
    if (served === 'unreachable') {
      const lastOnNewFlow = [...failed].reverse().find((r) => r.startMs < settled || afterRemoval.includes(r))?.startMs;
      check.fact(
        'error window: loss → last failed new connection',
        `ends ≤ ${removal}`,
        first === undefined || lastOnNewFlow === undefined
          ? 'no failed request'
          : `${failed.length} failed, ${since(first)} → ${since(lastOnNewFlow)} after the loss`,
        sources,
        afterRemoval.length === 0,
      );
      expect(failed.length, `the loss was seen by the client (requests to the pod on the ${kind} node failed)`).toBeGreaterThan(0);
    } else {
      // The node is lost to the control plane only: its pod still answers what kube-proxy sends it until the endpoint leaves.
      const answeredDuringLoss = records.filter((r) => r.pod === victim && r.startMs > lostAt && r.startMs <= leftAt).length;
      check.fact(
        'failed requests from the loss on (the lost pod keeps serving)',
        '0',
        failed.length === 0 ? '0' : `${failed.length}, ${since(first ?? 0)} → ${since(last ?? 0)} after the loss`,
        `${kind} leaves containers and forwarded traffic running`,
        failed.length === 0,
      );
      check.fact(
        'requests the lost pod answered between the loss and its endpoint removal',
        '> 0',
        String(answeredDuringLoss),
        `${kind} leaves containers and forwarded traffic running`,
        answeredDuringLoss > 0,
      );
    }
  });
}

// Balanced by measured wall time: slot b also carries NOD-1 and NOD-10 (node delete and restore), so node stop runs on a.
test.describe('on loss worker a', onLossWorker('a'), () => {
  test.describe.configure({ mode: 'default' });
  lossUnderLoad(
    'node-pause',
    'a',
    'unreachable',
    'a node paused under load: errors from the loss until its endpoints leave service, then none',
  );
  lossUnderLoad(
    'kubelet-stop',
    'a',
    'keeps serving',
    'a node whose kubelet stopped under load: no errors, traffic leaves its pod with the endpoint',
  );
  lossUnderLoad(
    'node-stop',
    'a',
    'unreachable',
    'a node stopped under load: errors from the loss until its endpoints leave service, then none',
  );
});

test.describe('on loss worker b', onLossWorker('b'), () => {
  test.describe.configure({ mode: 'default' });
  lossUnderLoad(
    'node-partition',
    'b',
    'keeps serving',
    'a node cut from the API server under load: no errors, traffic leaves its pod with the endpoint',
  );
});
