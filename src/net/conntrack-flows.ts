/**
 * The new connections (conntrack NEW events) a kind node's netfilter creates for one Service port:
 * what kube-proxy's DNAT did with each new flow, independent of what the client saw. Read from the
 * node container with the node's own conntrack, for the life of one load run. Only for kind nodes
 * on this Docker host (the caller checks).
 */
import { dockerExec, dockerExecStatus, dockerExecStream } from '../docker.ts';
import { lineSplitter } from '../line-splitter.ts';
import { parseNewFlow, type NewFlow } from './conntrack-text.ts';

/** The first line printed is the shell's pid, which exec hands to timeout: stop() kills that inside the node. */
function spawnEvents(node: string, port: number, seconds: number) {
  const command = `echo $$; exec timeout ${seconds} conntrack -E -e NEW -p tcp --orig-port-dst ${port} -o timestamp`;
  return dockerExecStream(node, ['sh', '-c', command]);
}

export class ConntrackFlows {
  readonly flows: NewFlow[] = [];
  readonly #printed = new Set<() => void>();
  readonly #node: string;
  readonly #process: ReturnType<typeof spawnEvents>;
  #pid: string | undefined;

  constructor(node: string, port: number, maxLifetimeSeconds: number) {
    this.#node = node;
    this.#process = spawnEvents(node, port, maxLifetimeSeconds);
    const lines = lineSplitter((line) => {
      if (this.#pid === undefined) {
        this.#pid = line.trim();
        return;
      }
      const flow = parseNewFlow(line);
      if (flow === undefined) return;
      this.flows.push(flow);
      for (const listener of this.#printed) listener();
    });
    this.#process.stdout?.setEncoding('utf8');
    this.#process.stdout?.on('data', lines.push);
  }

  /** How long the node keeps an unanswered SYN's entry (net.netfilter.nf_conntrack_tcp_timeout_syn_sent), in seconds. */
  async synSentTimeoutSeconds(): Promise<number | undefined> {
    const value = Number(await dockerExec(this.#node, ['cat', '/proc/sys/net/netfilter/nf_conntrack_tcp_timeout_syn_sent']));
    return Number.isFinite(value) ? value : undefined;
  }

  /**
   * Waits until a flow printed at or after `ms` shows, or `timeoutMs` passes: the events come in the kernel's order, so once
   * one from after the last request is printed, every earlier one is. Resolves either way (that request may have opened no flow).
   */
  printedSince(ms: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#printed.delete(check);
        resolve();
      };
      const check = (): void => {
        if (this.flows.some((f) => f.atMs >= ms)) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#printed.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    if (this.#pid !== undefined && /^\d+$/.test(this.#pid)) await dockerExecStatus(this.#node, ['kill', this.#pid]);
    this.#process.kill('SIGTERM');
    await this.#process;
  }
}
