// A plugin without defaults: its instances fall back to the config's defaults, then core's.
import { API_VERSION, definePlugin, z } from '@muster/sdk';

export default definePlugin({
  name: 'bare',
  apiVersion: API_VERSION,
  configSchema: z.object({}),
  create() {
    return { collect() {} };
  },
});
