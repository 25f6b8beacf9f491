import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineSplitter } from '../../src/line-splitter.ts';

function collect(chunks: readonly string[], end = true): string[] {
  const lines: string[] = [];
  const splitter = lineSplitter((l) => lines.push(l));
  for (const c of chunks) splitter.push(c);
  if (end) splitter.end();
  return lines;
}

test('a line cut across chunks is handed over once, whole', () => {
  assert.deepEqual(collect(['podlaw-req {"t":1', '2}\npodlaw-req {"t":', '13}\n']), ['podlaw-req {"t":12}', 'podlaw-req {"t":13}']);
});

test('an unfinished tail waits for the next chunk and is given up at the end', () => {
  assert.deepEqual(collect(['a\nb'], false), ['a']);
  assert.deepEqual(collect(['a\nb']), ['a', 'b']);
});

test('CRLF line ends lose their carriage return; empty lines are kept', () => {
  assert.deepEqual(collect(['a\r\n\nb\n']), ['a', '', 'b']);
});
