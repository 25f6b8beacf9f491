/** Laws of the family "Disruption budgets and the Eviction API": podDisruptionBudgets and the Eviction API. */
import type { LawDefinition } from './law.ts';

const budgets = 'Disruption budgets and the Eviction API';

export const budgetLaws = [
  {
    id: 'EVA-1',
    family: budgets,
    statement:
      'The Eviction API answers 200 and deletes gracefully when allowed, 429 with cause DisruptionBudget when a PodDisruptionBudget would be violated, 500 when more than one budget matches.',
    defaults: '',
    observe: 'HTTP status and cause; DisruptionTarget EvictionByEvictionAPI',
    docs: ['APIEVICT'],
    upstreamTest: 'test/e2e/apps/disruption.go',
    timing: undefined,
  },
  {
    id: 'EVA-2',
    family: budgets,
    statement:
      'A drain that would break a budget blocks; node-pressure eviction, node loss and direct deletes are not stopped by budgets but count against them.',
    defaults: '',
    observe: 'drain outcome, pdb.status.disruptionsAllowed',
    docs: ['DISRUPTIONS'],
    upstreamTest: 'test/e2e/apps/disruption.go',
    timing: undefined,
  },
] as const satisfies readonly LawDefinition[];
