/** resolv.conf files and nslookup answers as data (pure). */

export interface ResolvConf {
  readonly nameservers: readonly string[];
  readonly searches: readonly string[];
  readonly options: readonly string[];
}

export function parseResolvConf(text: string): ResolvConf {
  const nameservers: string[] = [];
  const searches: string[] = [];
  const options: string[] = [];
  for (const raw of text.split('\n')) {
    const [keyword, ...values] = raw
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/);
    if (keyword === 'nameserver') nameservers.push(...values);
    // The last search/domain line wins, as in the resolver (resolv.conf(5)).
    else if (keyword === 'search' || keyword === 'domain') searches.splice(0, searches.length, ...values);
    else if (keyword === 'options') options.push(...values);
  }
  return { nameservers, searches, options };
}

export function formatResolvConf(conf: ResolvConf): string {
  return `nameserver ${conf.nameservers.join(',') || '-'}; search ${conf.searches.join(' ') || '-'}; options ${conf.options.join(' ') || '-'}`;
}

/** The addresses busybox nslookup printed for the names it resolved (the server's own address line excluded). */
export function nslookupAddresses(output: string): string[] {
  const addresses: string[] = [];
  let answered = false;
  for (const line of output.split('\n')) {
    if (/^Name:/.test(line)) answered = true;
    const match = /^Address(?:\s+\d+)?:\s*(\S+)/.exec(line);
    if (answered && match?.[1] !== undefined) addresses.push(match[1]);
  }
  return addresses;
}

/**
 * The address busybox ping resolved a name to, from its first line "PING web (10.96.210.23): 56 data bytes", or
 * undefined ("ping: bad address 'web'"). Unlike busybox nslookup, ping resolves through the C library's resolver,
 * which applies resolv.conf's search list and ndots, so it shows how a short name is completed (pure).
 */
export function pingResolvedAddress(output: string): string | undefined {
  return /^PING \S+ \(([^)]+)\)/m.exec(output)?.[1];
}
