/**
 * Debian's chromium for the browser test: present at /usr/bin/chromium, else installed with
 * apt-get (the test setup's only side effect on the host; needs root, as podlaw's host setup).
 */
import { existsSync } from 'node:fs';
import { execa } from 'execa';

export const chromiumPath = '/usr/bin/chromium';

export default async function ensureChromium(): Promise<void> {
  if (existsSync(chromiumPath)) return;
  console.log(`browser test: ${chromiumPath} absent, installing Debian's chromium with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await execa('apt-get', ['update', '-qq'], { env, stdio: 'inherit' });
  await execa('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { env, stdio: 'inherit' });
  if (!existsSync(chromiumPath)) throw new Error(`apt-get install chromium did not provide ${chromiumPath}`);
}
