/** The names of the cluster podlaw creates; the suites find it through the kube context. */
export const clusterName = 'podlaw';
export const kubeContext = `kind-${clusterName}`;
export const nodeContainers = [`${clusterName}-control-plane`, `${clusterName}-worker`, `${clusterName}-worker2`, `${clusterName}-worker3`] as const;
/** Host port mapped to NodePort 30080 on the control plane (kind-config.yaml). */
export const hostNodePort = 30080;
/** Marks objects and containers as podlaw's own, so teardown touches nothing else. */
export const managedByLabel = 'podlaw.dev/managed-by';
