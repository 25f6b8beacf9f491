/**
 * Kubernetes binaries from the k8s.io/kubernetes Go module. That module cannot be
 * `go install`ed (its go.mod points the k8s.io/* staging modules at local paths), so a
 * generated wrapper module requires it and replaces each staging module with its
 * published version. Versions are stamped with -X, or kubeadm's checks fail.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { versions } from '../versions.ts';
import { goEnv } from '../lib/cache.ts';
import { downloadModule } from '../lib/go-build.ts';
import { cachedStep } from './cached-step.ts';
import { runBuildStep } from '../lib/logged-run.ts';
import type { Progress } from '../lib/progress.ts';

export const kubeCommands = [
  'kubelet',
  'kubeadm',
  'kubectl',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kube-proxy',
] as const;
export type KubeCommand = (typeof kubeCommands)[number];

const packages: Readonly<Record<KubeCommand | 'agnhost', string>> = {
  kubelet: 'k8s.io/kubernetes/cmd/kubelet',
  kubeadm: 'k8s.io/kubernetes/cmd/kubeadm',
  kubectl: 'k8s.io/kubernetes/cmd/kubectl',
  'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
  'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
  'kube-scheduler': 'k8s.io/kubernetes/cmd/kube-scheduler',
  'kube-proxy': 'k8s.io/kubernetes/cmd/kube-proxy',
  agnhost: 'k8s.io/kubernetes/test/images/agnhost',
};

const recipe = 2;

export interface KubeBinaries {
  readonly binDir: string;
  readonly path: (command: KubeCommand | 'agnhost') => string;
}

/** The staging modules are exactly those the kubernetes go.mod replaces with ./staging paths. */
export function stagingModules(kubernetesGoMod: string): string[] {
  const block = /^replace \(\n([\s\S]*?)\n\)/m.exec(kubernetesGoMod)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => /^\s*(\S+)\s+=>\s+\.\/staging\//.exec(line)?.[1])
    .filter((m): m is string => m !== undefined);
}

export function wrapperGoMod(kubernetes: string, staging: string, modules: readonly string[]): string {
  const replaces = modules.map((m) => `\t${m} => ${m} ${staging}`).join('\n');
  return `module podlaw.local/kubernetes-build\n\ngo 1.26.0\n\nrequire k8s.io/kubernetes ${kubernetes}\n\nreplace (\n${replaces}\n)\n`;
}

export function versionLdflags(kubernetes: string): string {
  const [major, minor] = kubernetes.replace(/^v/, '').split('.');
  const stamp = (pkg: string): string[] => [
    `-X ${pkg}.gitVersion=${kubernetes}`,
    `-X ${pkg}.gitMajor=${major ?? ''}`,
    `-X ${pkg}.gitMinor=${minor ?? ''}`,
    `-X ${pkg}.gitCommit=podlaw-${kubernetes}`,
    `-X ${pkg}.gitTreeState=clean`,
    `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
  ];
  return ['-s', '-w', ...stamp('k8s.io/component-base/version'), ...stamp('k8s.io/client-go/pkg/version')].join(' ');
}

/**
 * A wrapper module in out/module that requires the pinned k8s.io/kubernetes (staging modules at their
 * published versions) and imports `imports`, with its dependencies resolved by `go <tidy>`.
 */
export async function wrapperModule(
  out: string,
  what: string,
  imports: readonly string[],
  tidy: readonly string[],
): Promise<{ work: string; env: Record<string, string>; logFile: string }> {
  const env = goEnv();
  const moduleDir = (await downloadModule('k8s.io/kubernetes', versions.kubernetes)).dir;
  const work = join(out, 'module');
  mkdirSync(work, { recursive: true });
  const modules = stagingModules(readFileSync(join(moduleDir, 'go.mod'), 'utf8'));
  writeFileSync(join(work, 'go.mod'), wrapperGoMod(versions.kubernetes, versions.kubernetesStaging, modules));
  writeFileSync(
    join(work, 'tools.go'),
    `//go:build tools\n\npackage tools\n\nimport (\n${imports.map((i) => `\t_ "${i}"`).join('\n')}\n)\n`,
  );
  const logFile = join(out, 'build.log');
  await runBuildStep(`resolve ${what} dependencies`, 'go', tidy, { cwd: work, env, logFile });
  return { work, env, logFile };
}

export async function buildKubernetes(progress: Progress): Promise<KubeBinaries> {
  const commands = [...kubeCommands, 'agnhost'] as const;
  const step = {
    name: 'kubernetes',
    detail: `${versions.kubernetes}: go build ${commands.join(', ')} (cold: about 10 min on 2 cores)`,
    inputs: { kubernetes: versions.kubernetes, staging: versions.kubernetesStaging, recipe },
  };
  const built = await cachedStep(
    progress,
    step,
    async (out) => {
      const { work, env, logFile } = await wrapperModule(
        out,
        'kubernetes',
        commands.map((c) => packages[c]),
        ['mod', 'tidy'],
      );
      mkdirSync(join(out, 'bin'), { recursive: true });
      await runBuildStep(
        `go build kubernetes ${versions.kubernetes}`,
        'go',
        [
          'build',
          '-trimpath',
          '-ldflags',
          versionLdflags(versions.kubernetes),
          '-o',
          join(out, 'bin') + '/',
          ...commands.map((c) => packages[c]),
        ],
        { cwd: work, env: { ...env, CGO_ENABLED: '0' }, logFile },
      );
    },
    (dir) => join(dir, 'bin'),
  );
  const binDir = built.value;
  return { binDir, path: (command) => join(binDir, command) };
}
