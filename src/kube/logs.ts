/**
 * Container logs, current or of the previous (restarted) instance.
 */
import type { KubeClients } from './client.ts';
import { unlessNotFound, httpStatusOf } from './api-errors.ts';

export async function readContainerLog(
  kube: KubeClients,
  namespace: string,
  pod: string,
  container: string,
  options: { readonly previous?: boolean; readonly tailLines?: number } = {},
): Promise<string | undefined> {
  try {
    return await unlessNotFound(() =>
      kube.core.readNamespacedPodLog({
        name: pod,
        namespace,
        container,
        previous: options.previous ?? false,
        timestamps: true,
        ...(options.tailLines !== undefined ? { tailLines: options.tailLines } : {}),
      }),
    );
  } catch (error) {
    // 400 is how the API says "no such container instance" (e.g. no previous one yet).
    if (httpStatusOf(error) === 400) return undefined;
    throw error;
  }
}
