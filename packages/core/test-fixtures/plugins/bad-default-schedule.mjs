// A plugin whose own default schedule is not a schedule.
import { API_VERSION, definePlugin, z } from '@muster/sdk';

export default definePlugin({
  name: 'bad-default-schedule',
  apiVersion: API_VERSION,
  configSchema: z.object({}),
  defaults: { schedule: 'now and then' },
  create() {
    return { collect() {} };
  },
});
