/**
 * Reading nft output the way kube-proxy's nftables mode depends on it: the JSON listing of a map
 * (what sigs.k8s.io/knftables ListElements parses on every full sync) and the transactions
 * `nft monitor` prints. Pure functions: the callers run nft.
 */

/** The element keys of the one map in `nft --json list map` output, each joined like knftables does (" . "). */
export function mapElementKeys(listing: string): string[] {
  const parsed = JSON.parse(listing) as { nftables?: Array<Record<string, unknown>> };
  const maps = (parsed.nftables ?? []).flatMap((entry) => ('map' in entry ? [entry['map'] as { elem?: unknown[] }] : []));
  if (maps.length !== 1) throw new Error(`expected one map in the nft listing, found ${maps.length}`);
  return (maps[0]?.elem ?? []).map((elem) => {
    if (!Array.isArray(elem) || elem.length !== 2) throw new Error(`not a [key, value] map element: ${JSON.stringify(elem)}`);
    const key: unknown = elem[0];
    const parts = typeof key === 'object' && key !== null && 'concat' in key ? (key as { concat: unknown[] }).concat : [key];
    return parts.map((part) => String(part)).join(' . ');
  });
}

/** One committed nftables transaction as `nft monitor` prints it: its lines, then "# new generation N by process P (cmd)". */
export interface MonitoredTransaction {
  readonly generation: number;
  readonly lines: readonly string[];
}

/** Splits `nft monitor` output into committed transactions; an unterminated tail (still being printed) is left out. */
export function monitoredTransactions(output: string): MonitoredTransaction[] {
  const transactions: MonitoredTransaction[] = [];
  let lines: string[] = [];
  for (const line of output.split('\n')) {
    const end = /^# new generation (\d+) /.exec(line);
    if (end !== null) {
      transactions.push({ generation: Number(end[1]), lines });
      lines = [];
    } else if (line.trim() !== '') {
      lines.push(line.trim());
    }
  }
  return transactions;
}

/**
 * Whether a transaction is one of kube-proxy's full syncs: only those (setupNFTables in
 * pkg/proxy/nftables/proxier.go) re-declare the service-ips map.
 */
export function isKubeProxyFullSync(transaction: MonitoredTransaction, table = 'kube-proxy'): boolean {
  return transaction.lines.some((line) => line.startsWith(`add map ip ${table} service-ips `));
}

/** The keys ("10.96.0.1 . tcp . 443") of the elements a transaction deleted from a map. */
export function deletedElementKeys(transaction: MonitoredTransaction, map: string, table = 'kube-proxy'): string[] {
  const prefix = `delete element ip ${table} ${map} { `;
  return transaction.lines
    .filter((line) => line.startsWith(prefix))
    .flatMap((line) =>
      line
        .slice(prefix.length)
        .replace(/\s*}\s*$/, '')
        .split(/,\s*/),
    )
    .map((element) => (element.split(' : ')[0] ?? '').trim())
    .filter((key) => key !== '');
}
