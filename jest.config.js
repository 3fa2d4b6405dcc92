/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }],
  },
  // DEVELOPERS.md: at most two workers on this 2-core machine.
  maxWorkers: 2,
  // The default report, then the time of each tier (README, CONTRIBUTING).
  reporters: ["default", "<rootDir>/test/support/tier-times-reporter.js"],
  // Creation stacks of cdktf tokens without source maps (the file says why).
  setupFilesAfterEnv: ["<rootDir>/test/support/creation-stacks.js"],
  // Terraform tiers pay ~3 s per call to load the provider.
  testTimeout: 300000,
};
