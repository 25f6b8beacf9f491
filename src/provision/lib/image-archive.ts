/**
 * Container images without a Docker engine or a registry: writes the `docker save`
 * archive format (manifest.json + image config + one uncompressed layer.tar per
 * layer), which both `docker load` and `ctr images import` read. Layers are made by
 * the system tar with fixed owners, times and order, so the same directories give
 * the same layer digests, and the same image ID, on every machine.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { PodlawError } from '../../errors.ts';

export const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Images are built for the machine they run on; kind nodes here are linux/amd64. */
const architecture = 'amd64';
const os = 'linux';
/** Reproducible: a fixed creation time rather than the time of the build. */
const epoch = '1970-01-01T00:00:00Z';

export interface ImageSpec {
  /** Full reference with domain and tag, e.g. "registry.k8s.io/pause:3.10.2". */
  readonly ref: string;
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  /** PATH defaults to `defaultPath` when not given (runc resolves a bare command through it). */
  readonly env?: Readonly<Record<string, string>>;
  readonly workingDir?: string;
  readonly user?: string;
  /** e.g. ["53/udp", "8080/tcp"]. */
  readonly exposedPorts?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

export interface LayerRecord {
  /** "sha256:<hex>" of the uncompressed layer tar. */
  readonly diffId: string;
  /** Shown by `docker history`; says what the layer holds. */
  readonly createdBy: string;
}

export interface ImageArchive {
  readonly ref: string;
  readonly archive: string;
  /** "sha256:<hex>" of the config: what `docker images --no-trunc` shows as IMAGE ID. */
  readonly imageId: string;
}

const refPattern =
  /^(?<name>[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+):(?<tag>[\w][\w.-]{0,127})$/;

/**
 * Checks a reference is fully qualified (domain/path:tag). Both docker and
 * containerd would otherwise add docker.io/library/ or :latest, and the image
 * would no longer match the name kubeadm or a pod spec asks for.
 */
export function parseImageRef(ref: string): { readonly name: string; readonly tag: string } {
  const match = refPattern.exec(ref);
  const name = match?.groups?.['name'];
  const tag = match?.groups?.['tag'];
  const domain = name?.split('/')[0];
  if (
    name === undefined ||
    tag === undefined ||
    domain === undefined ||
    !(domain.includes('.') || domain.includes(':') || domain === 'localhost')
  ) {
    throw new PodlawError(
      'build',
      `image reference "${ref}" is not of the form domain/path:tag`,
      'give the full name, e.g. registry.k8s.io/pause:3.10.2',
    );
  }
  return { name, tag };
}

export function imageEnv(env: Readonly<Record<string, string>> | undefined): string[] {
  const merged: Record<string, string> = { PATH: defaultPath, ...env };
  return Object.entries(merged).map(([k, v]) => `${k}=${v}`);
}

/** The image config (the JSON whose digest is the image ID). Key order is fixed so the bytes are too. */
export function imageConfig(spec: ImageSpec, layers: readonly LayerRecord[]): Record<string, unknown> {
  const config: Record<string, unknown> = { Env: imageEnv(spec.env) };
  if (spec.entrypoint !== undefined) config['Entrypoint'] = [...spec.entrypoint];
  if (spec.cmd !== undefined) config['Cmd'] = [...spec.cmd];
  config['WorkingDir'] = spec.workingDir ?? '/';
  if (spec.user !== undefined) config['User'] = spec.user;
  if (spec.exposedPorts !== undefined && spec.exposedPorts.length > 0) {
    config['ExposedPorts'] = Object.fromEntries(spec.exposedPorts.map((p) => [p.includes('/') ? p : `${p}/tcp`, {}]));
  }
  if (spec.labels !== undefined) config['Labels'] = { ...spec.labels };
  return {
    architecture,
    config,
    created: epoch,
    history: layers.map((l) => ({ created: epoch, created_by: l.createdBy })),
    os,
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
  };
}

export function serializeConfig(config: Record<string, unknown>): { readonly json: string; readonly digest: string } {
  const json = JSON.stringify(config);
  return { json, digest: `sha256:${createHash('sha256').update(json).digest('hex')}` };
}

function hexOf(digest: string): string {
  const hex = /^sha256:([0-9a-f]{64})$/.exec(digest)?.[1];
  if (hex === undefined) throw new Error(`not a sha256 digest: ${digest}`);
  return hex;
}

/** Where `docker save` puts a layer and a config inside the archive. */
export function layerPath(diffId: string): string {
  return `${hexOf(diffId)}/layer.tar`;
}

export function configPath(configDigest: string): string {
  return `${hexOf(configDigest)}.json`;
}

/** manifest.json: one entry, the image's tags, its config file and its layers bottom-up. */
export function dockerManifest(ref: string, configDigest: string, diffIds: readonly string[]): string {
  parseImageRef(ref);
  return JSON.stringify([{ Config: configPath(configDigest), RepoTags: [ref], Layers: diffIds.map(layerPath) }]);
}

/** Flags that make tar's output depend only on file names, modes and contents. */
const reproducibleTarFlags = ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '--format=gnu'];

async function tarDirectory(dir: string, outFile: string, what: string): Promise<void> {
  // Top-level entries as arguments (not "."), so member names carry no "./" prefix, as in docker's own layers.
  const entries = readdirSync(dir).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  if (entries.length === 0) throw new PodlawError('build', `${what}: ${dir} is empty`, 'a layer needs at least one file');
  const run = await execa('tar', [...reproducibleTarFlags, '-C', dir, '-cf', outFile, '--', ...entries], {
    reject: false,
    all: true,
    env: { LC_ALL: 'C' },
  });
  if (run.failed) {
    throw new PodlawError('build', `${what}: tar failed (${run.exitCode ?? 'not started'})`, `check free space near ${outFile}`, {
      detail: run.all ?? '',
    });
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

export interface LayerSource {
  readonly dir: string;
  readonly createdBy?: string;
}

/**
 * Writes `archive` (a docker-archive tarball) holding one layer per directory, in
 * order (later layers on top). The directories are read, never changed.
 */
export async function writeImageArchive(
  spec: ImageSpec & { readonly layers: readonly LayerSource[]; readonly archive: string },
): Promise<ImageArchive> {
  parseImageRef(spec.ref);
  const staging = `${spec.archive}.staging`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const layers: LayerRecord[] = [];
    for (const [index, source] of spec.layers.entries()) {
      const tmp = join(staging, `layer-${index}.tar`);
      await tarDirectory(source.dir, tmp, `layer ${index} of ${spec.ref}`);
      const diffId = await sha256File(tmp);
      const finalPath = join(staging, layerPath(diffId));
      mkdirSync(dirname(finalPath), { recursive: true });
      renameSync(tmp, finalPath);
      layers.push({ diffId, createdBy: source.createdBy ?? `podlaw: layer ${index}` });
    }
    const config = serializeConfig(imageConfig(spec, layers));
    writeFileSync(join(staging, configPath(config.digest)), config.json);
    writeFileSync(
      join(staging, 'manifest.json'),
      dockerManifest(
        spec.ref,
        config.digest,
        layers.map((l) => l.diffId),
      ),
    );
    mkdirSync(dirname(spec.archive), { recursive: true });
    await tarDirectory(staging, spec.archive, `archive of ${spec.ref}`);
    return { ref: spec.ref, archive: spec.archive, imageId: config.digest };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The short form for callers outside this module (kube-proxy's image is built by
 * the node-image step): one layer per directory, bottom-up.
 */
export async function imageFromDirs(
  options: ImageSpec & { readonly dirs: readonly string[]; readonly archive: string },
): Promise<ImageArchive> {
  const { dirs, ...rest } = options;
  // No host paths in the history: they would make the image ID depend on where the cache lives.
  return writeImageArchive({ ...rest, layers: dirs.map((dir) => ({ dir })) });
}
