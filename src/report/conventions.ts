/**
 * Names shared by the tests (which write them) and the law reporter (which reads them).
 */
export const lawAnnotationType = 'law';
export const notApplicableAnnotationType = 'not-applicable';
export const knownDeviationAnnotationType = 'known-deviation';
/** A test skipped unjudged: the cluster failed its smoke checks (src/harness/smoke-gate.ts). */
export const notJudgedAnnotationType = 'podlaw.not-judged';
/** Its signature: a JSON array of the observation names that deviate. */
export const deviationSignatureAnnotationType = 'known-deviation-signature';
export const observationsAttachmentName = 'podlaw-observations';
export const timelineAttachmentName = 'podlaw-timeline';
/** Written by a load session (src/load/report.ts) as a file attachment: the per-request series charted in index.html. */
export const loadAttachmentName = 'load.json';
