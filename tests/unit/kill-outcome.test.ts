import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { containerInstanceEnded, judgeKillExec, killedBySigkillExitCode } from '../../src/faults/kill-outcome.ts';
import type { ExecFailure } from '../../src/kube/exec.ts';

const exited = (exitCode: number): ExecFailure => ({
  stage: 'completed',
  result: { outcome: { kind: 'exited', exitCode }, stdout: '', stderr: '' },
});

describe('judgeKillExec', () => {
  it('asks for proof when kill of PID 1 was SIGKILLed with its PID namespace (exit 137)', () => {
    assert.equal(killedBySigkillExitCode, 137);
    assert.equal(judgeKillExec(exited(137), 1).kind, 'confirm-target-ended');
  });

  it('asks for proof when the session of a kill of PID 1 closed without a status', () => {
    assert.equal(judgeKillExec({ stage: 'no-status', cause: new Error('closed') }, 1).kind, 'confirm-target-ended');
  });

  it('fails when the session never started: the kill never ran', () => {
    assert.equal(judgeKillExec({ stage: 'not-started', cause: new Error('container not found') }, 1).kind, 'failed');
  });

  it('fails on any other exit code: no such process (1), command not found (127), another signal (143)', () => {
    for (const code of [1, 127, 143]) assert.equal(judgeKillExec(exited(code), 1).kind, 'failed', `exit ${code}`);
  });

  it('fails on an error status', () => {
    const failure: ExecFailure = {
      stage: 'completed',
      result: { outcome: { kind: 'error', reason: 'InternalError', message: 'x' }, stdout: '', stderr: '' },
    };
    assert.equal(judgeKillExec(failure, 1).kind, 'failed');
  });

  it('fails when a PID other than the init ended the session: the container lives on, nothing took kill down', () => {
    assert.equal(judgeKillExec(exited(137), 42).kind, 'failed');
    assert.equal(judgeKillExec({ stage: 'no-status', cause: new Error('closed') }, 42).kind, 'failed');
  });
});

describe('containerInstanceEnded', () => {
  const id = 'containerd://aaa';
  it('is true when the instance is the last terminated state or terminated now, or another instance took its place', () => {
    assert.equal(
      containerInstanceEnded(
        {
          name: 'c',
          image: 'i',
          imageID: '',
          ready: false,
          restartCount: 1,
          containerID: 'containerd://bbb',
          state: { running: {} },
          lastState: { terminated: { exitCode: 1, containerID: id } },
        },
        id,
      ),
      true,
    );
    assert.equal(
      containerInstanceEnded(
        {
          name: 'c',
          image: 'i',
          imageID: '',
          ready: false,
          restartCount: 0,
          containerID: id,
          state: { terminated: { exitCode: 1, containerID: id } },
        },
        id,
      ),
      true,
    );
    assert.equal(
      containerInstanceEnded(
        { name: 'c', image: 'i', imageID: '', ready: false, restartCount: 1, containerID: 'containerd://bbb', state: { waiting: {} } },
        id,
      ),
      true,
    );
  });

  it('is false while the same instance still runs, or without a status', () => {
    assert.equal(
      containerInstanceEnded(
        { name: 'c', image: 'i', imageID: '', ready: true, restartCount: 0, containerID: id, state: { running: {} } },
        id,
      ),
      false,
    );
    assert.equal(containerInstanceEnded(undefined, id), false);
  });
});
