// A plugin written without definePlugin(): a plain object of the right shape.
import { z } from '@muster/sdk';

export default {
  name: 'plain-object',
  apiVersion: 1,
  configSchema: z.object({}),
  create() {
    return { collect() {} };
  },
};
