/**
 * Proves, at build time, that the nft staged into kube-proxy's image lists map elements the
 * way kube-proxy wrote them.
 *
 * Why: kube-proxy (pkg/proxy/nftables/proxier.go, setupNFTables → nftElementStorage.readOrReset)
 * reads every map back with `nft --json list map` (sigs.k8s.io/knftables ListElements) on each
 * full sync — at start and then every hour (proxyutil.FullSyncPeriod) — and keys its bookkeeping
 * on the text of each element ("10.96.0.1 . tcp . 443"). nft prints an inet_proto value by name
 * only when getprotobynumber() knows it, i.e. when /etc/protocols exists. Without it the listing
 * says 6, the key "10.96.0.1 . 6 . 443" matches none kube-proxy computes, and cleanupLeftoverKeys
 * deletes every live element in the same transaction that "re-adds" them: the service-ips map
 * goes empty on every node an hour after start (and the next full sync refills it).
 */
import { execa } from 'execa';
import { PodlawError } from '../../errors.ts';
import { mapElementKeys } from '../../net/nft-text.ts';

const probeTable = 'podlaw-probe';

/** A map shaped like kube-proxy's service-ips, with one element written the way kube-proxy writes it. */
export const probeRuleset = [
  `add table ip ${probeTable}`,
  `add map ip ${probeTable} service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; }`,
  `add element ip ${probeTable} service-ips { 10.96.0.1 . tcp . 443 : drop }`,
  '',
].join('\n');

/**
 * Runs the image's own nft (chrooted into the staged layer, so it reads the layer's /etc) in a
 * throwaway network namespace: loads the probe map and lists it back as kube-proxy does.
 */
export async function checkNftListsWhatItLoaded(layer: string): Promise<void> {
  // One shell inside one new network namespace, so the listing sees what was loaded (host's sh: the layer's is for kube-proxy).
  const script = 'chroot "$1" /usr/sbin/nft -f - && chroot "$1" /usr/sbin/nft --json list map ip "$2" service-ips';
  const listed = await execa('unshare', ['--net', '--', 'sh', '-c', script, 'sh', layer, probeTable], {
    input: probeRuleset,
    reject: false,
  });
  const keys = listed.failed ? [] : mapElementKeys(listed.stdout);
  const expected = '10.96.0.1 . tcp . 443';
  if (!listed.failed && keys.length === 1 && keys[0] === expected) return;
  throw new PodlawError(
    'build',
    `kube-proxy's nft does not list a map element the way it was written (expected "${expected}", got ${JSON.stringify(keys)})`,
    'kube-proxy would delete every element of its maps on its hourly full sync; check the files staged into its image (etc/protocols)',
    { detail: listed.failed ? `${listed.shortMessage}\n${listed.stderr}` : listed.stdout },
  );
}
