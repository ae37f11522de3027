// A plugin given as a folder whose package.json names the entry point.
import { API_VERSION, definePlugin, z } from '@muster/sdk';

export default definePlugin({
  name: 'folder-plugin',
  apiVersion: API_VERSION,
  configSchema: z.object({}),
  create() {
    return { collect() {} };
  },
});
