/** `podlaw gameday plan FILE`: validates the scenario, reads the cluster's settings, prints the predicted timeline. Injects nothing. */
import { PodlawError } from '../errors.ts';
import { isLawId } from '../laws/catalog/index.ts';
import { harnessSettings } from '../run-settings.ts';
import { connectGameDay } from './cluster.ts';
import { gameDayFaultKinds } from './faults.ts';
import { planLines, predictGameDay, type GameDayPlan } from './predict.ts';
import { readScenario, ScenarioError, type Scenario } from './scenario.ts';

export function loadScenario(file: string): Scenario {
  try {
    return readScenario(file, isLawId);
  } catch (error) {
    if (error instanceof ScenarioError)
      throw new PodlawError('usage', error.message, 'fix the scenario (schemas/gameday-scenario.schema.json)');
    throw error;
  }
}

export async function planCommand(file: string, env: NodeJS.ProcessEnv): Promise<{ scenario: Scenario; plan: GameDayPlan }> {
  const scenario = loadScenario(file);
  const cluster = await connectGameDay(harnessSettings(env));
  const plan = predictGameDay(scenario, cluster.timing, gameDayFaultKinds);
  for (const line of planLines(scenario, plan)) console.log(line);
  console.log(`\n(dry run: nothing was injected; context ${cluster.settings.context}, Kubernetes ${cluster.version.gitVersion})`);
  return { scenario, plan };
}
