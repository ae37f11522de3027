import { API_VERSION, definePlugin, z } from '@muster/sdk';
export default definePlugin({
  name: 'throws-in-create',
  apiVersion: API_VERSION,
  configSchema: z.object({}),
  create() {
    throw new Error('cannot open the widget registry');
  },
});
