import { JenkinsError, type JenkinsErrorKind } from '@muster/jenkins-client';
import { CollectError, type CollectErrorReason } from '@muster/sdk';

const REASONS: Readonly<Record<Exclude<JenkinsErrorKind, 'aborted' | 'network'>, CollectErrorReason>> = {
  unauthorized: 'auth',
  forbidden: 'auth',
  'login-page': 'bad-response',
  'malformed-json': 'bad-response',
  'too-large': 'bad-response',
  'not-found': 'backend-error',
  'server-error': 'backend-error',
  'http-error': 'backend-error',
  timeout: 'timeout',
  'connection-refused': 'connection-refused',
  dns: 'dns',
  tls: 'tls',
};

/** Gives a Jenkins failure its muster reason; other errors pass through unchanged. */
export function toCollectError(err: unknown): unknown {
  if (!(err instanceof JenkinsError) || err.kind === 'aborted' || err.kind === 'network') return err;
  return new CollectError(REASONS[err.kind], err.message, { cause: err });
}
