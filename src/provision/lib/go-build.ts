/**
 * Go builds from published modules (the Go module proxy is the only source of Go
 * code here). Three shapes, for three kinds of module:
 *  - buildModuleAsMain: the module itself is the main module, built from a writable
 *    copy of its download (for projects built the way their Makefile does, with
 *    their own go.mod as the authority, e.g. containerd and runc);
 *  - goInstall: the equivalent of `go install mod/pkg@version` into an output directory;
 *  - buildInWrapperModule: a generated main module that requires the module, for
 *    modules whose go.mod replaces siblings with local paths (etcd's server), which
 *    `go install mod@version` refuses and the download cannot build on its own.
 * Every command's output goes to a log file; a failure carries the log's tail.
 *
 * Binaries are stamped with versions, never with commits: the proxy reports a
 * version's commit (the .info Origin) only sometimes (this machine's mirror mostly
 * not), and a stamp that depends on the cache's history would make the same pins
 * give different binaries.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { PodlawError } from '../../errors.ts';
import { cacheRoot, goEnv } from './cache.ts';
import { runBuildStep } from './logged-run.ts';

export interface DownloadedModule {
  readonly path: string;
  readonly version: string;
  /** Read-only extracted module in the module cache. */
  readonly dir: string;
}

interface GoModDownloadJson {
  Path?: string;
  Version?: string;
  Dir?: string;
  Error?: string;
}

/** `go mod download -json mod@version`: fetches (or finds in the module cache) one module version. */
export async function downloadModule(path: string, version: string): Promise<DownloadedModule> {
  const run = await execa('go', ['mod', 'download', '-json', `${path}@${version}`], {
    env: goEnv(),
    extendEnv: true,
    reject: false,
    // Outside any module: the download must not be influenced by a go.mod in the caller's cwd.
    cwd: tmpdir(),
  });
  let parsed: GoModDownloadJson | undefined;
  try {
    parsed = JSON.parse(run.stdout) as GoModDownloadJson;
  } catch {
    parsed = undefined;
  }
  if (run.failed || parsed?.Dir === undefined || parsed.Error !== undefined) {
    throw new PodlawError(
      'build',
      `could not download Go module ${path}@${version}`,
      'check that the Go module proxy (go env GOPROXY) is reachable and serves this version (some mirrors list versions they answer 403 for)',
      { detail: [parsed?.Error ?? '', run.stderr].filter((s) => s !== '').join('\n') },
    );
  }
  return { path, version: parsed.Version ?? version, dir: parsed.Dir };
}

export interface GoCompileOptions {
  /** Directory the binaries are written into. */
  readonly outDir: string;
  readonly logFile: string;
  readonly cgo: boolean;
  readonly tags?: readonly string[];
  /** Passed as one -ldflags value. */
  readonly ldflags?: string;
  /** e.g. 'pie', as some projects' Makefiles build. */
  readonly buildmode?: string;
  readonly env?: Readonly<Record<string, string>>;
}

let toolchainVersion: Promise<string> | undefined;

/** e.g. "go1.26.8": part of every Go artifact's cache key, since another compiler gives other binaries. */
export function goToolchainVersion(): Promise<string> {
  toolchainVersion ??= execa('go', ['env', 'GOVERSION'], { env: goEnv(), extendEnv: true, cwd: tmpdir() }).then(
    (r) => r.stdout.trim(),
    (error: unknown) => {
      throw new PodlawError(
        'build',
        'the go command is not usable',
        'install Go (the version in go.mod files of the pinned modules or newer) and put it on PATH',
        {
          cause: error,
        },
      );
    },
  );
  return toolchainVersion;
}

function compileFlags(options: GoCompileOptions): string[] {
  return [
    '-trimpath',
    '-buildvcs=false',
    ...(options.buildmode === undefined ? [] : [`-buildmode=${options.buildmode}`]),
    ...(options.tags === undefined || options.tags.length === 0 ? [] : ['-tags', options.tags.join(' ')]),
    ...(options.ldflags === undefined ? [] : ['-ldflags', options.ldflags]),
  ];
}

function compileEnv(options: GoCompileOptions): Record<string, string> {
  return { ...goEnv(), CGO_ENABLED: options.cgo ? '1' : '0', ...options.env };
}

/** A fresh directory per build, removed by the caller; under the cache root because /tmp may be small. */
function scratchDir(label: string): string {
  const parent = join(cacheRoot(), 'scratch');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, `${label}-`));
}

/**
 * Builds `packages` (paths relative to the module root, e.g. "./cmd/ctr") with the
 * downloaded module as the main module. One go build per package group so that
 * groups can have their own flags (containerd's shim is built static, without cgo).
 */
export async function buildModuleAsMain(
  module: DownloadedModule,
  groups: readonly (GoCompileOptions & { readonly packages: readonly string[] })[],
): Promise<void> {
  const label = module.path.replaceAll('/', '_');
  const src = scratchDir(label);
  try {
    cpSync(module.dir, src, { recursive: true });
    // The module cache stores the tree read-only; go build may need to update go.sum.
    await execa('chmod', ['-R', 'u+w', src]);
    for (const group of groups) {
      mkdirSync(group.outDir, { recursive: true });
      await runBuildStep(
        `go build ${group.packages.join(' ')} (${module.path}@${module.version})`,
        'go',
        ['build', ...compileFlags(group), '-o', `${group.outDir}/`, ...group.packages],
        {
          cwd: src,
          env: compileEnv(group),
          logFile: group.logFile,
        },
      );
    }
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
}

/**
 * What `go install <pkg>@<version>` does (the module at that version is the main
 * module, its go.mod is the authority), done as a build of the downloaded module:
 * `go install pkg@version` also asks the proxy for the module's version list (for
 * deprecation notices), and this machine's proxy mirror answers 403 to some lists
 * (sigs.k8s.io/cri-tools) while serving the version itself.
 * `packages` are full import paths inside the module.
 */
export async function goInstall(
  modulePath: string,
  version: string,
  packages: readonly string[],
  options: GoCompileOptions,
): Promise<void> {
  const relative = packages.map((pkg) => {
    if (pkg === modulePath) return '.';
    if (pkg.startsWith(`${modulePath}/`)) return `./${pkg.slice(modulePath.length + 1)}`;
    throw new PodlawError(
      'build',
      `package ${pkg} is not in module ${modulePath}`,
      'fix the recipe: list packages of the module it downloads',
    );
  });
  await buildModuleAsMain(await downloadModule(modulePath, version), [{ ...options, packages: relative }]);
}

export interface WrapperModule {
  /** Module path of the generated module; not published anywhere. */
  readonly name: string;
  readonly require: readonly { readonly path: string; readonly version: string }[];
  readonly replace?: readonly { readonly path: string; readonly withPath: string; readonly version: string }[];
}

export function wrapperGoMod(wrapper: WrapperModule, goVersion: string): string {
  const lines = [`module ${wrapper.name}`, '', `go ${goVersion}`, '', 'require ('];
  for (const r of wrapper.require) lines.push(`\t${r.path} ${r.version}`);
  lines.push(')');
  if (wrapper.replace !== undefined && wrapper.replace.length > 0) {
    lines.push('', 'replace (');
    for (const r of wrapper.replace) lines.push(`\t${r.path} => ${r.withPath} ${r.version}`);
    lines.push(')');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Builds full package paths (e.g. "go.etcd.io/etcd/server/v3") inside a generated
 * main module that requires their modules. -mod=mod (from goEnv) lets go build fill
 * go.sum from the proxy's checksums.
 */
export async function buildInWrapperModule(
  wrapper: WrapperModule,
  build: { readonly package: string; readonly binaryName: string },
  options: GoCompileOptions,
): Promise<void> {
  const dir = scratchDir(wrapper.name.replaceAll('/', '_'));
  try {
    const toolchain = (await goToolchainVersion()).replace(/^go/, '');
    writeFileSync(join(dir, 'go.mod'), wrapperGoMod(wrapper, toolchain.split('.').slice(0, 2).join('.')));
    mkdirSync(options.outDir, { recursive: true });
    // An explicit output name: a package path ending in a major version (".../server/v3") would otherwise name the binary after its parent.
    await runBuildStep(
      `go build ${build.package} (wrapper module ${wrapper.name})`,
      'go',
      ['build', ...compileFlags(options), '-o', join(options.outDir, build.binaryName), build.package],
      {
        cwd: dir,
        env: compileEnv(options),
        logFile: options.logFile,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
