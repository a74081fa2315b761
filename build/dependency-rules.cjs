/**
 * Dependency rules as data (ARCHITECTURE.md "Dependency direction"), in dependency-cruiser's
 * format. `npm run depcheck` and test/architecture/dependency-rules.test.ts both use them.
 * Paths are relative to the repository root.
 */
const NODE_BUILTIN = { dependencyTypes: ['core'] };

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles make layers impossible to reason about.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'core/ imports zod and other core/ files only: no node:*, no SQLite, no Electron, no React.',
      from: { path: '^core/' },
      to: { pathNot: ['^core/', '^node_modules/zod/'] },
    },
    {
      name: 'core-no-node-builtins',
      severity: 'error',
      comment: 'core/ must not use Node built-ins.',
      from: { path: '^core/' },
      to: NODE_BUILTIN,
    },
    {
      name: 'adapters-not-hosts',
      severity: 'error',
      comment: 'db/ and market-data/ never import electron, react or a host.',
      from: { path: '^(db|market-data)/' },
      to: { path: ['^node_modules/(electron|react|react-dom)/', '^(renderer|cli|electron|host)/'] },
    },
    {
      name: 'host-not-ui',
      severity: 'error',
      comment: 'The engine host and the CLI never import electron or the renderer.',
      from: { path: '^(host|cli)/' },
      to: { path: ['^node_modules/(electron|react|react-dom)/', '^(renderer|electron)/'] },
    },
    {
      name: 'electron-main-no-ui',
      severity: 'error',
      from: { path: '^electron/main/' },
      to: { path: ['^node_modules/(react|react-dom)/', '^renderer/', '^cli/'] },
    },
    {
      name: 'preload-is-tiny',
      severity: 'error',
      comment: 'The preload imports electron and the contract types only.',
      from: { path: '^electron/preload/' },
      to: { pathNot: ['^electron/preload/', '^core/api/', '^core/domain/', '^node_modules/(electron|zod)/'] },
    },
    {
      name: 'renderer-talks-to-contract-only',
      severity: 'error',
      comment: 'The renderer imports the contract, the domain vocabulary, React and UI libraries only.',
      from: { path: '^renderer/' },
      to: {
        path: ['^node_modules/electron/', '^(db|market-data|cli|host|electron)/', '^core/(engine|phases|calc|validation|telemetry|ports|calendar)/'],
      },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^renderer/' },
      to: NODE_BUILTIN,
    },
    {
      name: 'nothing-imports-electron-but-the-shell',
      severity: 'error',
      comment: 'Requiring electron in plain Node tries to download a binary (STACK.md).',
      from: { pathNot: '^electron/' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'no-test-code-in-product',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)node_modules/', '(^|/)dist/', '(^|/)out/', '\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
