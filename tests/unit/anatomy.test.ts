import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveRequest, expectedResolvConf } from '../../src/laws/expectations/anatomy.ts';
import { parseCorefilePods } from '../../src/cluster/coredns.ts';
import { nslookupAddresses, parseResolvConf, pingResolvedAddress } from '../../src/cluster/resolv-conf.ts';

describe('effectiveRequest (init-containers docs, resource sharing)', () => {
  it('takes the largest init request, not the sum of init requests', () => {
    const r = effectiveRequest(
      [
        { request: 600, restartable: false },
        { request: 600, restartable: false },
      ],
      [100],
    );
    assert.deepEqual(r, { effectiveInit: 600, appSum: 100, effective: 600 });
  });
  it('takes the sum of app requests when larger than any init request', () => {
    assert.equal(effectiveRequest([{ request: 600, restartable: false }], [300, 400]).effective, 700);
  });
  it('adds a sidecar to the init containers after it and to the apps', () => {
    const r = effectiveRequest(
      [
        { request: 100, restartable: true },
        { request: 500, restartable: false },
      ],
      [200],
    );
    assert.deepEqual(r, { effectiveInit: 600, appSum: 300, effective: 600 });
  });
});

describe('parseCorefilePods', () => {
  it('reads the pods mode and zones of the kubernetes plugin', () => {
    const corefile =
      '.:53 {\n    errors\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       ttl 30\n    }\n}\n';
    assert.deepEqual(parseCorefilePods(corefile), { mode: 'insecure', zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'] });
  });
  it('defaults to disabled without a pods line, and finds no block without the plugin', () => {
    assert.equal(parseCorefilePods('.:53 {\n kubernetes cluster.local {\n ttl 30\n }\n}')?.mode, 'disabled');
    assert.equal(parseCorefilePods('.:53 {\n forward . /etc/resolv.conf\n}'), undefined);
  });
});

describe('resolv.conf and nslookup parsing', () => {
  it('parses nameservers, the last search line and options', () => {
    assert.deepEqual(parseResolvConf('nameserver 10.96.0.10\nsearch a b\nsearch c d\noptions ndots:5 # x\n'), {
      nameservers: ['10.96.0.10'],
      searches: ['c', 'd'],
      options: ['ndots:5'],
    });
  });
  it("takes the answer's addresses, not the server's", () => {
    const out = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n';
    assert.deepEqual(nslookupAddresses(out), ['10.96.0.1']);
  });
});

describe('expectedResolvConf (kubelet dns.go)', () => {
  const cluster = { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', namespace: 'ns' };
  const node = { nameservers: ['172.18.0.1'], searches: ['corp'], options: ['ndots:0'] };
  it('gives ClusterFirst the cluster DNS and search list before the node search', () => {
    const r = expectedResolvConf('ClusterFirst', false, cluster, node);
    assert.deepEqual(
      [r.nameservers, r.searches, r.options],
      [['10.96.0.10'], ['ns.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp'], ['ndots:5']],
    );
  });
  it("falls back to the node's resolv.conf for ClusterFirst on hostNetwork, not for ClusterFirstWithHostNet", () => {
    assert.deepEqual(expectedResolvConf('ClusterFirst', true, cluster, node).nameservers, ['172.18.0.1']);
    assert.deepEqual(expectedResolvConf('ClusterFirstWithHostNet', true, cluster, node).nameservers, ['10.96.0.10']);
  });
});

describe('busybox ping: the address a name resolved to', () => {
  it('is the address in the first line', () =>
    assert.equal(pingResolvedAddress('PING web (10.96.210.23): 56 data bytes\n\n--- web ping statistics ---\n'), '10.96.210.23'));
  it('is none for a bad address', () => assert.equal(pingResolvedAddress("ping: bad address 'kubernetes'\n"), undefined));
});
