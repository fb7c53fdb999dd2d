// @ts-check
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const electron = {
  paths: [
    {
      name: 'electron',
      message: 'Only src/main/index.ts, src/main/app/ and the preload may import electron.',
    },
  ],
  patterns: [
    {
      group: ['electron/*'],
      message: 'Only src/main/index.ts, src/main/app/ and the preload may import electron.',
    },
  ],
}
const nodeBuiltins = {
  paths: builtinModules.map((name) => ({
    name,
    message: 'Node built-ins do not exist in the renderer; src/shared must stay platform-free.',
  })),
  patterns: [
    {
      group: ['node:*'],
      message: 'Node built-ins do not exist in the renderer; src/shared must stay platform-free.',
    },
  ],
}
/** The main process (the app's and the agent's) is shared by the CLI, never the other way. */
const noCli = {
  patterns: [
    {
      regex: '^(\\.\\./)+cli(/|$)',
      message:
        'src/main never imports src/cli: move what both need (as the agent handler) into src/main.',
    },
  ],
}
const restrict = (...rules) => [
  'error',
  {
    paths: rules.flatMap((rule) => rule.paths ?? []),
    patterns: rules.flatMap((rule) => rule.patterns ?? []),
  },
]
const layers = (message, ...layerNames) => ({
  patterns: [{ group: layerNames.flatMap((name) => [`**/${name}/**`, `**/${name}`]), message }],
})

/** Text that starts like an SQL statement (how the code base writes them: in capitals). */
const SQL_TEXT = '/^\\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|PRAGMA)\\s/'
const sqlMessage =
  "SQL goes in the feature's *-repository.ts (or src/main/db): services call its typed methods."

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict(
        electron,
        nodeBuiltins,
        layers(
          'The renderer reaches main only through window.bridgekeep (src/renderer/api).',
          'main',
          'preload',
        ),
      ),
    },
  },
  // src/shared imports nothing outside itself: at each depth, a relative import may not climb
  // out of src/shared. (Matching by the resolved folder, not by a name such as "runner", which
  // src/shared/runner-protocol and src/shared/ipc/features/runner.ts legitimately carry too.)
  ...[0, 1, 2, 3, 4, 5].map((depth) => ({
    files: [`src/shared/${'*/'.repeat(depth)}*.ts`],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': restrict(electron, nodeBuiltins, {
        patterns: [
          {
            regex: `^(\\.\\./){${depth + 1}}`,
            message: 'src/shared depends on nothing but itself and pure libraries.',
          },
        ],
      }),
    },
  })),
  // Tests of src/shared may also use the repository's test fixtures (test/fixtures/), which are
  // never shipped; everything else outside src/shared stays out of reach.
  ...[0, 1, 2, 3, 4, 5].map((depth) => ({
    files: [`src/shared/${'*/'.repeat(depth)}*.test.ts`],
    rules: {
      'no-restricted-imports': restrict(electron, nodeBuiltins, {
        patterns: [
          {
            regex: `^(\\.\\./){${depth + 1}}(?!\\.\\./test/fixtures/)`,
            message: 'src/shared depends on nothing but itself and pure libraries.',
          },
        ],
      }),
    },
  })),
  {
    // Everything that must run under plain Node: services, runner, CLI.
    files: ['src/runner/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(electron) },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/app/**'],
    rules: { 'no-restricted-imports': restrict(electron, noCli) },
  },
  {
    // A test of the agent may drive it with the CLI's own client.
    files: ['src/main/**/*.test.ts'],
    rules: { 'no-restricted-imports': restrict(electron) },
  },
  {
    // The Electron shell may import electron, and still not the CLI.
    files: ['src/main/index.ts', 'src/main/app/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(noCli) },
  },
  {
    // SQLite is reached through src/main/db (opening, migrations, writeTransaction) and each
    // feature's *-repository.ts (its statements); elsewhere only better-sqlite3's types may be
    // named.
    files: ['src/**/*.ts'],
    ignores: ['src/main/db/**', '**/*-repository.ts', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'better-sqlite3',
              message:
                'Only src/main/db and *-repository.ts files use better-sqlite3; elsewhere import its types only.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // Services hold rules, repositories hold SQL: outside src/main/db and *-repository.ts no
    // statement is prepared and no SQL is written. (src/runner is left out: its Postgres
    // provider sends a query to the user's server, not to the vault.)
    files: ['src/main/**/*.ts', 'src/cli/**/*.ts'],
    ignores: ['src/main/db/**', '**/*-repository.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(prepare|pragma)$/]',
          message: sqlMessage,
        },
        { selector: `Literal[value=${SQL_TEXT}]`, message: sqlMessage },
        { selector: `TemplateElement[value.raw=${SQL_TEXT}]`, message: sqlMessage },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'e2e/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Playwright fixtures must destructure their dependencies, even when there are none.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'scripts/**/*.cjs', 'bin/**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
)
