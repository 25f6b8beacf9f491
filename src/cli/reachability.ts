/**
 * Checks that a cluster named on the command line answers before any suite runs,
 * so a wrong path or context is one clear line instead of fifty failed tests.
 */
import { PodlawError } from '../errors.ts';
import { connect } from '../kube/client.ts';
import { harnessSettings } from '../run-settings.ts';

export async function checkReachable(env: NodeJS.ProcessEnv): Promise<string> {
  const settings = harnessSettings(env);
  const clients = connect(settings.kubeconfigPath, settings.context);
  try {
    const info = await clients.version.getCode();
    return info.gitVersion;
  } catch (error) {
    throw new PodlawError(
      'kubeconfig',
      `the API server of context ${settings.context} does not answer`,
      'check that the cluster is running and the kubeconfig points at it',
      {
        cause: error,
      },
    );
  }
}
