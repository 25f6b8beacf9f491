/**
 * Turns `--law` and `--family` into the set of laws to run and the Playwright `--grep`
 * that picks exactly their tests (each test carries `@ID` tags, src/harness/laws.ts).
 * Pure: the catalog is passed in, so the unit tests use small fixture catalogs.
 */
import { PodlawError } from '../errors.ts';

export interface SelectableLaw {
  readonly id: string;
  readonly family: string;
}

/** "Node loss and rescheduling" → "node-loss-and-rescheduling"; short names match its leading words. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Families matching a name: the full name case-insensitively, or a slug prefix ("node-loss", "probes"). */
export function matchFamilies(name: string, families: readonly string[]): string[] {
  const wanted = slug(name);
  if (wanted === '') return [];
  return families.filter((family) => slug(family) === wanted || slug(family).startsWith(`${wanted}-`));
}

/** Levenshtein distance, case-insensitive (ids are upper case, users may not type them so). */
export function editDistance(a: string, b: string): number {
  const left = a.toUpperCase();
  const right = b.toUpperCase();
  let previous = Array.from({ length: right.length + 1 }, (_, j) => j);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}

/** The ids nearest to an unknown one (all those at the smallest distance, at most `limit`). */
export function closestIds(unknown: string, ids: readonly string[], limit = 3): string[] {
  const scored = ids.map((id) => ({ id, distance: editDistance(unknown, id) }));
  const best = Math.min(...scored.map((entry) => entry.distance));
  return scored
    .filter((entry) => entry.distance === best)
    .slice(0, limit)
    .map((entry) => entry.id);
}

/** Laws one `--law` item names: an exact id ("PRB-2") or an id prefix ("NPE" = every NPE-n). */
function lawsForItem(item: string, catalog: readonly SelectableLaw[]): SelectableLaw[] {
  const wanted = item.toUpperCase();
  const exact = catalog.filter((law) => law.id.toUpperCase() === wanted);
  if (exact.length > 0) return exact;
  return catalog.filter((law) => law.id.toUpperCase().startsWith(`${wanted}-`));
}

function splitList(values: readonly string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export interface Selection {
  /** The selected laws in catalog order; undefined when neither --law nor --family was given (run all). */
  readonly laws: readonly SelectableLaw[] | undefined;
}

/**
 * The union of the laws named by `--law` items and `--family` names. An unknown id or
 * family is a usage error naming the closest ids / the families; an empty result too.
 */
export function selectLaws(lawItems: readonly string[], familyNames: readonly string[], catalog: readonly SelectableLaw[]): Selection {
  const items = splitList(lawItems);
  const names = familyNames.map((name) => name.trim()).filter((name) => name !== '');
  if (items.length === 0 && names.length === 0) return { laws: undefined };
  const selected = new Set<string>();
  for (const item of items) {
    const found = lawsForItem(item, catalog);
    if (found.length === 0) {
      const nearest = closestIds(
        item,
        catalog.map((law) => law.id),
      );
      throw new PodlawError('usage', `unknown law "${item}"`, `closest: ${nearest.join(', ')} (podlaw list shows every law)`);
    }
    for (const law of found) selected.add(law.id);
  }
  const families = [...new Set(catalog.map((law) => law.family))];
  for (const name of names) {
    const matched = matchFamilies(name, families);
    for (const law of catalog) if (matched.includes(law.family)) selected.add(law.id);
  }
  const laws = catalog.filter((law) => selected.has(law.id));
  if (laws.length === 0) {
    throw new PodlawError(
      'usage',
      `the selection (${[...items, ...names.map((n) => `family "${n}"`)].join(', ')}) matches no law`,
      `families: ${families.map(slug).join(', ')}`,
    );
  }
  return { laws };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Playwright --grep matching the @ID tag of each selected law, and no longer id ("@PRB-1" ≠ "@PRB-10"). */
export function grepForLaws(laws: readonly SelectableLaw[]): string {
  return `@(?:${laws.map((law) => escapeRegExp(law.id)).join('|')})(?![0-9A-Za-z-])`;
}

/**
 * A run's --grep with the smoke checks added: they are no project dependency (src/smoke-verdict.ts), so
 * Playwright's grep would leave them out, and the selected tests would meet a verdict of no checks.
 */
export function grepWithSmokeChecks(grep: string, smokeTag: string): string {
  // Playwright reads "/source/flags" as a regular expression literal: the alternation goes inside, the flags stay.
  const literal = /^\/(.*)\/([dgimsuy]*)$/.exec(grep);
  if (literal !== null) return `/(?:${literal[1] ?? ''})|${escapeRegExp(smokeTag)}/${literal[2] ?? ''}`;
  return `(?:${grep})|${escapeRegExp(smokeTag)}`;
}
