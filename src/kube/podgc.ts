/**
 * The PodGC controller's constants (pkg/controller/podgc/gc_controller.go, v1.36.3), not configurable: passes run every
 * gcCheckPeriod (wait.Until, sliding), and an unknown node is quarantined for quarantineTime from the first pass that saw it
 * missing. NOD-10's window (laws) and its fault's wait before a second deletion (faults) both derive from them.
 */
export const podGcCheckPeriodMs = 20_000;
export const podGcQuarantineMs = 40_000;
