import { definePlugin, z } from '@muster/sdk';
export default definePlugin({ name: 'from-the-future', apiVersion: 99, configSchema: z.object({}), create: () => ({ collect() {} }) });
