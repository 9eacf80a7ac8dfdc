import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // End-to-end tests start servers and a browser; unit tests finish far sooner.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
