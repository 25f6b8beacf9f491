import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceChainEndpoints } from '../../src/net/node-nft.ts';

// The shapes `nft list table ip kube-proxy` prints: v1.36's dnat map (seen on this cluster) and a vmap of endpoint chains.
const table = `table ip kube-proxy {
	chain service-2QRHZV4L-default/kubernetes/tcp/https {
		meta l4proto tcp dnat ip to numgen random mod 1 map { 0 : 172.18.0.3 . 6443 }
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

test("reads the endpoint count of the Service's chain only: numgen's modulus, in both shapes", () => {
  assert.equal(serviceChainEndpoints(table, 'smoke-ns', 'spread'), 3);
  assert.equal(serviceChainEndpoints(table, 'default', 'kubernetes'), 1);
});

test('a Service kube-proxy has not programmed yet has no chain: 0', () => {
  assert.equal(serviceChainEndpoints(table, 'smoke-ns', 'other'), 0);
});
