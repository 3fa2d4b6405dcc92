// Lint is part of `npm test`. Its main job here is architecture, not taste:
// - provider classes by deep import only (the @cdktf/provider-aws barrel loads ~2,100 modules);
// - core cdktf symbols only through lib/cdktf.ts, so a switch to a fork is one file;
// - the planning core (lib/plan) and the lab's pure model (lib/lab/model) never import cdktf,
//   constructs or the provider, nor the command (lib/toolkit) or the testing kit (lib/testing).
import tseslint from "typescript-eslint";

const providerBarrel = {
  name: "@cdktf/provider-aws",
  message: "Import provider classes by deep path, e.g. '@cdktf/provider-aws/lib/vpc'.",
};
const cdktfCore = {
  name: "cdktf",
  message: "Import core cdktf symbols through lib/cdktf.ts.",
};

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "cdktf.out/", "coverage/", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: [providerBarrel, cdktfCore] }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["lib/cdktf.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [providerBarrel] }] },
  },
  {
    files: ["lib/plan/**/*.ts", "lib/lab/model/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [providerBarrel, cdktfCore, { name: "constructs", message: "The planning core knows nothing of constructs." }],
          patterns: [
            { group: ["@cdktf/*", "cdktf/*"], message: "The planning core knows nothing of cdktf." },
            { group: ["**/constructs/**", "**/cdktf"], message: "Data flows one way: constructs call the plan, never the reverse." },
            { group: ["**/toolkit/**", "**/testing/**", "**/testing"], message: "The command and the testing kit use the plan, never the reverse." },
          ],
        },
      ],
    },
  },
);
