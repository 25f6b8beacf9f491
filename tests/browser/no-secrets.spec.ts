/**
 * No credential in any report of a run: every file under the reports directory (laws.*, junit.xml,
 * index.html, Playwright's JSON and HTML reports with their attachments) is searched for the
 * kubeconfig's own secrets (client key and certificate, CA data, tokens — read from the kubeconfig
 * the run used) and for anything shaped like one (PEM blocks, service-account JWTs, kubeconfig keys).
 */
import { expect, test } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const reportDir = resolve(process.env['PODLAW_REPORT_DIR'] ?? 'reports');
const kubeconfigPath = process.env['PODLAW_KUBECONFIG'] ?? process.env['KUBECONFIG'] ?? join(homedir(), '.kube', 'config');

interface Kubeconfig {
  readonly clusters?: readonly { readonly cluster?: Readonly<Record<string, unknown>> }[];
  readonly users?: readonly { readonly user?: Readonly<Record<string, unknown>> }[];
}

/** The kubeconfig's secret values, raw and base64-decoded (a report could carry either form); long enough to be unique. */
function kubeconfigSecrets(): string[] {
  if (!existsSync(kubeconfigPath)) return [];
  const config = parse(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
  const fields = ['client-key-data', 'client-certificate-data', 'certificate-authority-data', 'token', 'password'];
  const values = [...(config.users ?? []).map((u) => u.user ?? {}), ...(config.clusters ?? []).map((c) => c.cluster ?? {})].flatMap(
    (entry) => fields.flatMap((field) => (typeof entry[field] === 'string' ? [entry[field]] : [])),
  );
  return values.flatMap((value) => {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    // A PEM body's base64 lines: any 60-character line of it is specific to this key.
    const pemLines = decoded.split('\n').filter((line) => /^[A-Za-z0-9+/=]{60,}$/.test(line));
    return [value.slice(0, 64), ...pemLines];
  });
}

const shapes: readonly [string, RegExp][] = [
  ['PEM block', /-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/],
  ['service-account or OIDC JWT', /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
  ['kubeconfig key', /(client-key-data|client-certificate-data|certificate-authority-data)\s*:/],
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.png') && !entry.name.endsWith('.zip'))
    .map((entry) => join(entry.parentPath, entry.name));
}

test('no token, certificate or kubeconfig content appears in any report', () => {
  expect(existsSync(join(reportDir, 'laws.json')), `${reportDir} holds a run's reports`).toBe(true);
  const secrets = kubeconfigSecrets();
  expect(secrets.length, `secrets read from ${kubeconfigPath}`).toBeGreaterThan(0);
  const files = filesUnder(reportDir);
  const findings: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // Playwright's JSON report holds attachments base64-encoded: search their decoded text too.
    const decoded = [...text.matchAll(/"body": "([A-Za-z0-9+/=]{16,})"/g)].map((m) => Buffer.from(m[1] ?? '', 'base64').toString('utf8'));
    for (const content of [text, ...decoded]) {
      for (const secret of secrets) if (content.includes(secret)) findings.push(`${file}: a value of ${kubeconfigPath}`);
      for (const [what, shape] of shapes) if (shape.test(content)) findings.push(`${file}: ${what}`);
    }
  }
  expect([...new Set(findings)]).toEqual([]);
  console.log(
    `${files.length} report files searched for ${secrets.length} kubeconfig values and ${shapes.length} credential shapes: none found`,
  );
});
