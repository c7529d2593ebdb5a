import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    globalSetup: ['./vitest.setup-cli.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
