import { escapeLabelValue, formatValue } from '../metrics/exposition/format.js';

/** What one probe found, besides the plugin's own series. */
export interface ProbeOutcome {
  readonly success: boolean;
  readonly durationSeconds: number;
  /** The backend's verdict reason or the cycle's failure reason, when it failed. */
  readonly reason?: string;
}

/**
 * The probe's own series in the text format: `muster_probe_success`, `muster_probe_duration_seconds`
 * and, when it failed, `muster_probe_failure_reason{reason}` (no `collector` label: the scraper's
 * relabelling sets `instance` to the target).
 */
export function probeText(outcome: ProbeOutcome): string {
  let out =
    '# HELP muster_probe_success Whether the target is healthy (1) or not (0): the backend\'s own verdict, or 0 when the check itself failed.\n' +
    '# TYPE muster_probe_success gauge\n' +
    `muster_probe_success ${outcome.success ? 1 : 0}\n` +
    '# HELP muster_probe_duration_seconds How long the probe took, in seconds.\n' +
    '# TYPE muster_probe_duration_seconds gauge\n' +
    `muster_probe_duration_seconds ${formatValue(outcome.durationSeconds)}\n`;
  if (!outcome.success) {
    out +=
      '# HELP muster_probe_failure_reason Why the probe failed (a bounded reason: status-503, connection-refused, timeout…).\n' +
      '# TYPE muster_probe_failure_reason gauge\n' +
      `muster_probe_failure_reason{reason="${escapeLabelValue(outcome.reason ?? 'error')}"} 1\n`;
  }
  return out;
}
