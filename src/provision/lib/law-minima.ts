/**
 * The least time a run could take if the cluster did exactly what the documentation
 * says at its fastest: the documented lower bound of every timed observation in
 * reports/laws.json (e.g. PRB-2's initialDelay + failureThreshold × period).
 */
export interface LawsReport {
  readonly laws: readonly { readonly id: string; readonly observations: readonly { readonly documentedMinMs?: number }[] }[];
}

export function documentedMinima(report: LawsReport): { perLaw: Record<string, number>; totalMs: number; observations: number } {
  const perLaw: Record<string, number> = {};
  let totalMs = 0;
  let observations = 0;
  for (const law of report.laws) {
    for (const observation of law.observations) {
      if (observation.documentedMinMs === undefined) continue;
      const ms = Math.max(0, observation.documentedMinMs);
      perLaw[law.id] = (perLaw[law.id] ?? 0) + ms;
      totalMs += ms;
      observations += 1;
    }
  }
  return { perLaw, totalMs, observations };
}
