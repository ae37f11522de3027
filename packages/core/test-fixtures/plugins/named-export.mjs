// A plugin exported as `plugin` instead of default.
import { API_VERSION, definePlugin, z } from '@muster/sdk';

export const plugin = definePlugin({
  name: 'named-export',
  apiVersion: API_VERSION,
  configSchema: z.object({}),
  create() {
    return { collect() {} };
  },
});
