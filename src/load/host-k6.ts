/**
 * Load from the host: the pinned k6 (built by src/provision/build/k6.ts, linked into
 * <cache>/bin/k6) runs the podlaw-written script as a child process. Its console
 * (one JSON line per request) is read line by line from stderr as it comes.
 * Bounded: k6 stops by itself after the scenario's duration; a watchdog kills it
 * when it overstays by more than its graceful stop plus a margin. A session whose
 * measurement is done stops it earlier with SIGINT (LoadRun.stopEarly).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { lineSplitter } from '../line-splitter.ts';
import { LoadError } from './errors.ts';
import { k6ExitCodes, parseRequestLine, type K6Summary } from './records.ts';
import { LoadRun, resultOf } from './run.ts';
import { k6Script, validateScenario, type LoadScenario } from './scenario.ts';

/** Where `npm run build` links k6: <PODLAW_CACHE or ~/.cache/podlaw>/bin/k6; PODLAW_K6 overrides. */
export function k6Path(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['PODLAW_K6'];
  if (explicit !== undefined && explicit !== '') return explicit;
  const cache = env['PODLAW_CACHE'] !== undefined && env['PODLAW_CACHE'] !== '' ? env['PODLAW_CACHE'] : join(homedir(), '.cache', 'podlaw');
  return join(cache, 'bin', 'k6');
}

/** How long past its duration k6 may run before the watchdog kills it: graceful stop + summary. */
const overstayMs = 20_000;

export function startHostLoad(scenario: LoadScenario, k6 = k6Path()): LoadRun {
  validateScenario(scenario);
  if (!existsSync(k6)) throw new LoadError(`k6 not found at ${k6}: run npm run build (or set PODLAW_K6)`);
  const dir = mkdtempSync(join(tmpdir(), 'podlaw-k6-'));
  const summaryFile = join(dir, 'summary.json');
  writeFileSync(join(dir, 'script.js'), k6Script(scenario, summaryFile));
  return new LoadRun(scenario, 'host', async (run) => {
    const child = execa(k6, ['run', '--quiet', '--no-color', '--log-format', 'raw', '--no-usage-report', 'script.js'], {
      cwd: dir,
      reject: false,
      env: { K6_NO_USAGE_REPORT: 'true' },
      timeout: scenario.durationSeconds * 1000 + scenario.requestTimeoutMs + overstayMs,
      forceKillAfterDelay: 2000,
      lines: false,
      stdin: 'ignore',
    });
    // SIGINT is k6's graceful stop (internal/cmd/run.go): the run is aborted, thresholds judged and the summary
    // written; requests in flight are cancelled without a metric.
    run.stoppableBy(() => child.kill('SIGINT'));
    let lastOther = '';
    const stderr = lineSplitter((line) => {
      const record = parseRequestLine(line);
      if (record !== undefined) run.add(record);
      // k6's own error for a script exception is "Error: <message>" followed by a stack line.
      else if (line.startsWith('Error') || (lastOther === '' && line.trim() !== '' && !line.startsWith('Request Failed')))
        lastOther = line.trim();
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', stderr.push);
    child.stderr?.on('end', stderr.end);
    const done = await child;
    try {
      if (done.timedOut) throw new LoadError(`k6 overstayed its ${scenario.durationSeconds} s scenario and was killed`);
      if (done.exitCode !== k6ExitCodes.ok && done.exitCode !== k6ExitCodes.thresholdsCrossed && !run.stopReached(done.exitCode)) {
        const why = lastOther !== '' ? lastOther : (done.shortMessage ?? `exit ${done.exitCode}`);
        throw new LoadError(`k6 failed (exit ${String(done.exitCode)}): ${why}`);
      }
      if (!existsSync(summaryFile)) throw new LoadError(`k6 ended (exit ${String(done.exitCode)}) without writing its summary`);
      const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as K6Summary;
      return resultOf(run, summary, done.exitCode ?? -1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
