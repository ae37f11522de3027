// A plugin written for a plugin API this muster does not speak.
import { definePlugin, z } from '@muster/sdk';

export default definePlugin({
  name: 'from-the-future',
  apiVersion: 99,
  configSchema: z.object({}),
  create() {
    return { collect() {} };
  },
});
