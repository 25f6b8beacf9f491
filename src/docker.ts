/** Thin, typed wrappers over the docker CLI: the image build, the cluster scripts and node faults use them. */
import { execa } from 'execa';

export async function imageExists(ref: string): Promise<boolean> {
  const result = await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { reject: false });
  return result.exitCode === 0;
}

export async function containerState(name: string): Promise<{ exists: boolean; running: boolean; paused: boolean }> {
  const result = await execa('docker', ['inspect', '--format', '{{.State.Running}} {{.State.Paused}}', name], { reject: false });
  if (result.exitCode !== 0) return { exists: false, running: false, paused: false };
  const [running, paused] = result.stdout.trim().split(' ');
  return { exists: true, running: running === 'true', paused: paused === 'true' };
}

export async function dockerExec(container: string, args: readonly string[], options?: { input?: string; inputFile?: string }): Promise<string> {
  const stdin = options?.inputFile !== undefined ? { inputFile: options.inputFile } : options?.input !== undefined ? { input: options.input } : {};
  const { stdout } = await execa('docker', ['exec', '-i', container, ...args], stdin);
  return stdout;
}
