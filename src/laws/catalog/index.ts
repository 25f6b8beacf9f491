/**
 * Every law of the catalog, family by family (one file each), in catalog order, with
 * the lookups the harness, the reporter and the CLI use. A new law goes into its
 * family's file; its id then becomes a LawId everywhere.
 */
import { docUrl } from '../docs.ts';
import type { LawDefinition, LawFamily } from './law.ts';
import { probeLaws } from './probes.ts';
import { terminationLaws } from './termination.ts';
import { pressureLaws } from './pressure.ts';
import { nodeLossLaws } from './node-loss.ts';
import { budgetLaws } from './budgets.ts';
import { anatomyLaws } from './anatomy.ts';

export type { LawDefinition, LawFamily } from './law.ts';

export const lawDefinitions = [...probeLaws, ...terminationLaws, ...pressureLaws, ...nodeLossLaws, ...budgetLaws, ...anatomyLaws] as const;

export type LawId = (typeof lawDefinitions)[number]['id'];

export interface Law extends LawDefinition {
  readonly id: LawId;
  readonly docUrls: readonly string[];
}

export const laws: readonly Law[] = lawDefinitions.map((definition) => ({
  ...definition,
  docUrls: definition.docs.map((key) => docUrl(key)),
}));

const byId = new Map<string, Law>(laws.map((law) => [law.id, law]));

export function isLawId(value: string): value is LawId {
  return byId.has(value);
}

export function lawById(id: LawId): Law {
  const law = byId.get(id);
  if (law === undefined) throw new Error(`unknown law ${id}`);
  return law;
}

export function lawsOf(family: LawFamily): readonly Law[] {
  return laws.filter((law) => law.family === family);
}
