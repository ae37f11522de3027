/**
 * Redaction lives in the SDK, so core and plugins share one redactor; core's modules import it
 * from here.
 */
export { createRedactor, MIN_SECRET_LENGTH, REDACTED, secretForms } from '@muster/sdk';
