// A default export whose name is not kebab-case.
import { z } from '@muster/sdk';

export default {
  name: 'Not_Kebab',
  apiVersion: 1,
  configSchema: z.object({}),
  create() {
    return { collect() {} };
  },
};
