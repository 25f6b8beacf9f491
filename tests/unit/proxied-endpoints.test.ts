import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceChainEndpoints } from '../../src/net/node-nft.ts';

// The shape `nft list table ip kube-proxy` prints for kube-proxy's nftables mode (pkg/proxy/nftables).
const table = `table ip kube-proxy {
	chain service-ULMVA6XW-default/kubernetes/tcp/https {
		ip daddr 10.96.0.1 tcp dport 443 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
		numgen random mod 1 vmap { 0 : goto endpoint-XJZ4F5ZT-default/kubernetes/tcp/https__172.18.0.4/6443 }
	}

	chain service-2MKKQX3J-smoke-ns/spread/tcp/ {
		ip daddr 10.96.12.7 tcp dport 8080 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
		numgen random mod 3 vmap { 0 : goto endpoint-AAAAAAAA-smoke-ns/spread/tcp/__10.244.1.2/8080, 1 : goto endpoint-BBBBBBBB-smoke-ns/spread/tcp/__10.244.2.2/8080,
					   2 : goto endpoint-CCCCCCCC-smoke-ns/spread/tcp/__10.244.3.2/8080 }
	}

	chain endpoint-AAAAAAAA-smoke-ns/spread/tcp/__10.244.1.2/8080 {
		ip saddr 10.244.1.2 jump mark-for-masquerade
	}
}`;

test("counts the endpoints of the Service's chain only, across a wrapped vmap", () => {
  assert.equal(serviceChainEndpoints(table, 'smoke-ns', 'spread'), 3);
  assert.equal(serviceChainEndpoints(table, 'default', 'kubernetes'), 1);
});

test('a Service kube-proxy has not programmed yet has no chain: 0', () => {
  assert.equal(serviceChainEndpoints(table, 'smoke-ns', 'other'), 0);
});
