/** Every expectation formula, by family: what suites (through src/harness) and unit tests import. */
export * from './probes.ts';
export * from './termination.ts';
export * from './node-loss.ts';
export * from './pressure.ts';
export * from './anatomy.ts';
