/**
 * The watches of one test (the `watch` fixture): pods, EndpointSlices and events of its
 * namespace, and the cluster's nodes. Every transition they see is recorded on the test's timeline; waits
 * in the test subscribe to the same watches, so watching and waiting never disagree.
 */
import type { CoreV1Event, V1EndpointSlice, V1Node, V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from '../kube/client.ts';
import { resourceTypes } from '../kube/resources.ts';
import { ResumableWatch } from '../kube/watch.ts';
import type { WatchStats } from '../kube/watch.ts';
import { eventTime } from '../kube/events.ts';
import { endpointSliceSummary, eventSummary, nodeSummary, podSummary } from '../timeline/summaries.ts';
import type { Timeline } from '../timeline/timeline.ts';

export class ClusterWatches {
  readonly pods: ResumableWatch<V1Pod>;
  readonly endpointSlices: ResumableWatch<V1EndpointSlice>;
  readonly events: ResumableWatch<CoreV1Event>;
  readonly nodes: ResumableWatch<V1Node>;
  /** Every version of every pod seen, in order; for laws that need a history (restart gaps). */
  readonly podHistory: V1Pod[] = [];

  private constructor(kube: KubeClients, namespace: string) {
    this.pods = new ResumableWatch<V1Pod>(kube, resourceTypes.pod, { namespace });
    this.endpointSlices = new ResumableWatch<V1EndpointSlice>(kube, resourceTypes.endpointSlice, { namespace });
    this.events = new ResumableWatch<CoreV1Event>(kube, resourceTypes.event, { namespace });
    this.nodes = new ResumableWatch<V1Node>(kube, resourceTypes.node);
  }

  static async start(kube: KubeClients, namespace: string, timeline: Timeline): Promise<ClusterWatches> {
    const watches = new ClusterWatches(kube, namespace);
    watches.pods.subscribe((c) => {
      watches.podHistory.push(c.object);
      timeline.transition('Pod', c.object.metadata?.name ?? '', c.type, podSummary(c.object), c.receivedAt);
    });
    watches.endpointSlices.subscribe((c) =>
      timeline.transition('EndpointSlice', c.object.metadata?.name ?? '', c.type, endpointSliceSummary(c.object), c.receivedAt),
    );
    watches.events.subscribe((c) => {
      if (c.type !== 'DELETED') timeline.event(eventSummary(c.object), eventTime(c.object), c.receivedAt);
    });
    // Nodes are recorded only when they change during the test, not the initial listing.
    watches.nodes.subscribe((c) => {
      if (c.origin === 'watch') timeline.transition('Node', c.object.metadata?.name ?? '', c.type, nodeSummary(c.object), c.receivedAt);
    });
    const started = await Promise.allSettled([
      watches.pods.start(),
      watches.endpointSlices.start(),
      watches.events.start(),
      watches.nodes.start(),
    ]);
    const failure = started.find((s) => s.status === 'rejected');
    if (failure !== undefined) {
      // Do not leave the watches that did start running behind a failed fixture.
      await watches.stop();
      throw failure.reason;
    }
    return watches;
  }

  /** All versions seen of one pod (by uid when given, else by name). */
  historyOf(name: string, uid?: string): V1Pod[] {
    return this.podHistory.filter((p) => p.metadata?.name === name && (uid === undefined || p.metadata?.uid === uid));
  }

  stats(): Readonly<Record<string, WatchStats>> {
    return {
      pods: this.pods.stats,
      endpointSlices: this.endpointSlices.stats,
      events: this.events.stats,
      nodes: this.nodes.stats,
    };
  }

  async stop(): Promise<void> {
    await Promise.all([this.pods.stop(), this.endpointSlices.stop(), this.events.stop(), this.nodes.stop()]);
  }
}
