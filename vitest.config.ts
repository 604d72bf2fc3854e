import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure, fast, beside the code) and `integration` (real Elasticsearch + S3 on
// 127.0.0.1, started by `npm run services:start`). Integration files share one Elasticsearch, so
// they run one file at a time; each test uses its own namespace.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.int.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          globalSetup: ['test/helpers/global-setup.ts'],
          // Tests use the AWS SDK under Node 20 too; its Node 22 notice is noise there (see main.ts).
          env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        },
      },
    ],
  },
});
