import { TRANSPORT_ERROR_REASONS, transportErrorReason } from '@muster/sdk';

/** Why a check was unhealthy (`none` when it was healthy). A closed set: never free text. */
export const FAILURE_REASONS = [
  'none',
  ...TRANSPORT_ERROR_REASONS,
  'status-mismatch',
  'body-mismatch',
  'body-too-large',
  'error',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/**
 * Classifies a request error (a Node.js socket, DNS or TLS error, the check's deadline, and their
 * causes) by its code: timeouts, refused connections, DNS failures and TLS failures have their own reason;
 * anything else is `error`.
 */
export function classifyError(err: unknown): FailureReason {
  return transportErrorReason(err) ?? 'error';
}
