/**
 * kube-proxy's nftables state on a kind node, read from the node container (the node's network
 * namespace) with the node's own nft: its maps, and the transactions committed while we watch.
 * Only for kind nodes on this Docker host (the caller checks).
 */
import { dockerExec, dockerExecStatus, dockerExecStream } from '../docker.ts';
import { describeTimeout, type NamedTimeout } from '../kube/named-timeout.ts';
import { mapElementKeys, monitoredTransactions, type MonitoredTransaction } from './nft-text.ts';

/** kube-proxy's table (pkg/proxy/nftables/proxier.go kubeProxyTable) for IPv4. */
export const kubeProxyTable = { family: 'ip', name: 'kube-proxy' } as const;

export async function nodeMapKeys(node: string, map: string): Promise<string[]> {
  return mapElementKeys(await dockerExec(node, ['nft', '--json', 'list', 'map', kubeProxyTable.family, kubeProxyTable.name, map]));
}

/** The HTTP status a request from the node's network namespace gets (curl; "000" when nothing answered). */
export async function httpStatusFromNode(node: string, url: string, maxSeconds: number): Promise<string> {
  const curl = ['curl', '-sk', '-o', '/dev/null', '--max-time', String(maxSeconds), '-w', '%{http_code}', url];
  return (await dockerExecStatus(node, curl)).stdout.trim();
}

export class NftMonitorTimeoutError extends Error {
  constructor(node: string, what: string, timeout: NamedTimeout, output: string) {
    super(`nft monitor on ${node}: no ${what} within ${describeTimeout(timeout)}; output so far:\n${output.slice(-4000) || '(none)'}`);
    this.name = 'NftMonitorTimeoutError';
  }
}

/**
 * The first line printed is the shell's pid, which exec hands to timeout: stop() kills that inside
 * the node (killing the docker client would leave nft running there).
 */
function spawnMonitor(node: string, seconds: number) {
  return dockerExecStream(node, ['sh', '-c', `echo $$; exec timeout ${seconds} nft monitor`]);
}

/** A table the monitor's liveness probe adds and deletes again: nothing else uses it. */
const probeTable = 'podlaw-monitor-probe';

/**
 * `nft monitor` in a node: every committed nftables transaction, as it happens (the netlink event
 * stream). The nft process inside the node is bounded by maxLifetime and killed by stop().
 */
export class NftMonitor {
  readonly #node: string;
  readonly #process: ReturnType<typeof spawnMonitor>;
  #output = '';
  #pid: string | undefined;
  #listeners: Array<() => void> = [];

  private constructor(node: string, maxLifetime: NamedTimeout) {
    this.#node = node;
    this.#process = spawnMonitor(node, Math.ceil(maxLifetime.ms / 1000));
    this.#process.stdout?.setEncoding('utf8');
    this.#process.stdout?.on('data', (chunk: string) => {
      this.#output += chunk;
      if (this.#pid === undefined && this.#output.includes('\n')) {
        const [pid = '', ...rest] = this.#output.split('\n');
        this.#pid = pid.trim();
        this.#output = rest.join('\n');
      }
      for (const listener of this.#listeners) listener();
    });
  }

  /**
   * Starts the monitor and returns once it provably sees transactions: a probe table added and
   * deleted in the node shows up in its output (nft may subscribe a moment after it starts).
   */
  static async start(node: string, maxLifetime: NamedTimeout, subscribed: NamedTimeout): Promise<NftMonitor> {
    const monitor = new NftMonitor(node, maxLifetime);
    const seen = monitor.waitFor('its own liveness probe', (t) => t.lines.includes(`delete table ip ${probeTable}`), subscribed);
    let probing = true;
    const probe = async (): Promise<void> => {
      while (probing) {
        await dockerExec(node, ['sh', '-c', `nft add table ip ${probeTable} && nft delete table ip ${probeTable}`]);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };
    const probing$ = probe();
    try {
      await seen;
    } catch (error) {
      await monitor.stop();
      throw error;
    } finally {
      probing = false;
      await probing$;
    }
    return monitor;
  }

  get transactions(): MonitoredTransaction[] {
    return monitoredTransactions(this.#output);
  }

  /** Resolves with the first committed transaction that matches; rejects with the output seen when the timeout passes. */
  async waitFor(what: string, match: (t: MonitoredTransaction) => boolean, timeout: NamedTimeout): Promise<MonitoredTransaction> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.transactions.find(match);
        if (found === undefined) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new NftMonitorTimeoutError(this.#node, what, timeout, this.#output));
      }, timeout.ms);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((l) => l !== listener);
      };
      const listener = (): void => void check();
      this.#listeners.push(listener);
      check();
    });
  }

  async stop(): Promise<void> {
    if (this.#pid !== undefined && /^\d+$/.test(this.#pid)) {
      await dockerExecStatus(this.#node, ['kill', this.#pid]);
    }
    this.#process.kill('SIGTERM');
    await this.#process;
  }
}

/**
 * How many endpoints kube-proxy's nftables on the node sends a Service port to, from its service chain
 * (pkg/proxy/nftables/proxier.go names it service-HASH-<namespace>/<service>/<protocol>/<port name>),
 * or 0 when the chain is not there yet.
 */
export async function proxiedEndpointCount(node: string, namespace: string, service: string, protocol = 'tcp'): Promise<number> {
  const table = await dockerExec(node, ['nft', 'list', 'table', kubeProxyTable.family, kubeProxyTable.name]);
  return serviceChainEndpoints(table, namespace, service, protocol);
}

/**
 * The endpoints the Service's chain in `nft list table` output spreads over (pure): the N of its
 * `numgen random mod N` (v1.36 writes `dnat ip to numgen random mod N map { … }`; older releases a
 * `vmap` of `goto endpoint-…` chains); 0 while the chain is not there.
 */
export function serviceChainEndpoints(table: string, namespace: string, service: string, protocol = 'tcp'): number {
  const header = new RegExp(`^\\s*chain service-[0-9A-Z]+-${namespace}/${service}/${protocol}/\\S* \\{$`);
  const lines = table.split('\n');
  const start = lines.findIndex((line) => header.test(line));
  if (start < 0) return 0;
  for (const line of lines.slice(start + 1)) {
    if (/^\s*\}\s*$/.test(line)) break;
    const spread = /numgen random mod (\d+)/.exec(line);
    if (spread !== null) return Number(spread[1]);
  }
  return 0;
}

/**
 * Waits until kube-proxy on the node has programmed `count` endpoints for the Service. nftables
 * cannot be watched for this; it is sampled every 200 ms, far finer than kube-proxy's 1 s minimum
 * sync period, within a named timeout whose error carries the last count.
 */
export async function waitForProxiedEndpoints(
  node: string,
  namespace: string,
  service: string,
  count: number,
  timeout: NamedTimeout,
): Promise<number> {
  const deadline = Date.now() + timeout.ms;
  for (;;) {
    const seen = await proxiedEndpointCount(node, namespace, service);
    if (seen >= count) return seen;
    if (Date.now() >= deadline) {
      throw new Error(
        `kube-proxy on ${node} sent ${namespace}/${service} to ${seen} endpoint(s), not ${count}, within ${describeTimeout(timeout)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
