// @ts-check
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * Selectors of `no-restricted-syntax` that keep access decisions in src/access/: reading a role
 * list (`x.roles.includes(…)`, `.some`, …) and comparing territories (`a.territoryId === b`).
 */
export const ACCESS_SELECTORS = [
  {
    selector: "MemberExpression[object.property.name='roles'][property.name=/^(includes|some|every|indexOf|find|findIndex|filter)$/]",
    message: 'Roles are read in src/access/ only: policies/access.yaml says which roles hold which relation (ask AccessService).',
  },
  {
    // Either side a territory (`x.territoryId`, `x.territory_id`, `territoryId`, `territory`), the
    // other not `undefined` or `null` (a presence check is not a comparison).
    selector:
      "BinaryExpression[operator=/^[!=]==?$/]:matches([left.property.name=/^territory(Id|_id)$/], [right.property.name=/^territory(Id|_id)$/], [left.name=/^territory(Id)?$/], [right.name=/^territory(Id)?$/]):not([left.type='Identifier'][left.name='undefined'], [right.type='Identifier'][right.name='undefined'], [left.raw='null'], [right.raw='null'])",
    message: 'Territories are compared in src/access/ only (AccessService.require / scope / eligibility).',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'coverage/**', '**/*.js', 'web/dist/**', 'web/src/api/schema.d.ts', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Every promise is awaited: an un-awaited expect on a promise is a test that cannot fail.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'web/browser/**/*.ts', 'web/scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // One access decision (policies/access.yaml, src/access/): nobody else reads a caller's roles
    // or compares territories. src/access/access-lint.spec.ts proves the selectors fire.
    files: ['src/**/*.ts'],
    ignores: ['src/access/**'],
    rules: { 'no-restricted-syntax': ['error', ...ACCESS_SELECTORS] },
  },
  {
    // Rows have types: repositories declare them (src/database/sql.ts select/returning), and nothing else sees `any`.
    files: ['src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
    },
  },
  {
    // A limit is enforced and published from one number (src/common/limits.ts: MaxChars, MaxItems…):
    // class-validator's own limit decorators alone would leave the OpenAPI document without it.
    files: ['src/**/*.ts'],
    ignores: ['src/common/limits.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'class-validator',
              importNames: ['MaxLength', 'MinLength', 'ArrayMaxSize', 'ArrayMinSize', 'Length', 'ArrayNotEmpty'],
              message: 'Use MaxChars / Chars / MaxItems / Items of src/common/limits.ts: the limit is then published in OpenAPI too.',
            },
          ],
        },
      ],
    },
  },
  // The web workspace: the rules of hooks; no console output (nothing protected may reach it).
  { files: ['web/src/**/*.{ts,tsx}'], ...reactHooks.configs.flat['recommended-latest'] },
);
