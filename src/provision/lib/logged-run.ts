/**
 * Runs a build command with its output appended to a log file instead of the
 * terminal: a compile prints thousands of lines nobody reads unless it fails, and
 * then the tail of the log is what matters.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { PodlawError } from '../../errors.ts';

export interface LoggedRunOptions {
  readonly cwd?: string;
  /** Added to the inherited environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly logFile: string;
}

export interface LoggedRunResult {
  /** undefined when the command could not be started at all (e.g. not installed). */
  readonly exitCode: number | undefined;
  readonly failed: boolean;
}

export async function runLogged(file: string, args: readonly string[], options: LoggedRunOptions): Promise<LoggedRunResult> {
  const envLine = Object.entries(options.env ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  appendFileSync(
    options.logFile,
    `\n$ ${envLine === '' ? '' : `${envLine} `}${[file, ...args].join(' ')}${options.cwd === undefined ? '' : `   (in ${options.cwd})`}\n`,
  );
  const result = await execa(file, args, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: { ...options.env },
    extendEnv: true,
    reject: false,
    stdin: 'ignore',
    stdout: { file: options.logFile, append: true },
    stderr: { file: options.logFile, append: true },
  });
  if (result.failed && result.exitCode === undefined) {
    // The process never ran; execa's message says why (ENOENT, EACCES). It is not compiler output.
    appendFileSync(options.logFile, `podlaw: could not start ${file}: ${result.originalMessage ?? result.shortMessage}\n`);
  }
  return { exitCode: result.exitCode, failed: result.failed };
}

export function logTail(logFile: string, lines = 40): string {
  if (!existsSync(logFile)) return '';
  return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Runs a build command; a failure becomes a 'build' PodlawError carrying the log tail. */
export async function runBuildStep(what: string, file: string, args: readonly string[], options: LoggedRunOptions): Promise<void> {
  const result = await runLogged(file, args, options);
  if (!result.failed) return;
  throw new PodlawError(
    'build',
    `${what} failed (${result.exitCode === undefined ? `could not start ${file}` : `exit code ${result.exitCode}`})`,
    `the full log is ${options.logFile}; fix the cause and rerun (finished steps come from the cache)`,
    { detail: logTail(options.logFile) },
  );
}
