/** Durations in config files (`500ms`, `15s`, `1m`): the SDK's parser, so plugins and core agree. */
export { parseDuration } from '@muster/sdk';
