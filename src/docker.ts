/** Thin, typed wrappers over the docker CLI: the image build, the cluster scripts and node faults use them. */
import { execa } from 'execa';

export async function imageExists(ref: string): Promise<boolean> {
  const result = await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { reject: false });
  return result.exitCode === 0;
}

/**
 * A container's state. "Does not exist" is answered only when the engine says so: a
 * failed inspect is confirmed with a listing, and an engine that does not answer is an
 * error — a fault's recovery must never mistake a daemon hiccup for "nothing to undo".
 */
export async function containerState(name: string): Promise<{ exists: boolean; running: boolean; paused: boolean }> {
  const result = await execa('docker', ['inspect', '--format', '{{.State.Running}} {{.State.Paused}}', name], { reject: false });
  if (result.exitCode !== 0) {
    const listing = await execa('docker', ['ps', '-a', '-q', '--filter', `name=^/${name}$`]);
    if (listing.stdout.trim() !== '') throw new Error(`docker inspect ${name} failed although the container exists: ${result.stderr}`);
    return { exists: false, running: false, paused: false };
  }
  const [running, paused] = result.stdout.trim().split(' ');
  return { exists: true, running: running === 'true', paused: paused === 'true' };
}

export async function dockerExec(container: string, args: readonly string[], options?: { input?: string; inputFile?: string }): Promise<string> {
  const stdin = options?.inputFile !== undefined ? { inputFile: options.inputFile } : options?.input !== undefined ? { input: options.input } : {};
  const { stdout } = await execa('docker', ['exec', '-i', container, ...args], stdin);
  return stdout;
}
