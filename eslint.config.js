// Lint runs inside `npm test`; firmware adds its own Espruino-subset rules in firmware/eslint.rules.js when present.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'kiosk-ui/docs/**', '**/*.d.ts', 'firmware/build/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['kiosk-ui/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Firmware runs on Espruino: reject in the sources what tsc would pass through and Espruino cannot run.
    // firmware/tools/espruino-subset.ts checks the built bundles as well.
    files: ['firmware/src/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ObjectPattern, ArrayPattern', message: 'Espruino: no destructuring' },
        { selector: 'SpreadElement, RestElement', message: 'Espruino: no spread/rest' },
        { selector: 'AssignmentPattern', message: 'Espruino: no default parameters' },
        { selector: ':function[async=true], AwaitExpression', message: 'Espruino: no async/await' },
        { selector: ':function[generator=true]', message: 'Espruino: no generators' },
        { selector: 'Property[computed=true], MethodDefinition[computed=true], PropertyDefinition[computed=true]', message: 'Espruino: no computed keys' },
        { selector: "BinaryExpression[operator='**'], AssignmentExpression[operator='**=']", message: 'Espruino: use Math.pow' },
        { selector: 'Identifier[name=/^(Map|Set|WeakMap|WeakSet|Symbol|Proxy|Reflect)$/]', message: 'Espruino: no Map/Set/Symbol' },
        { selector: "MemberExpression[object.name='Array'][property.name='from']", message: 'Espruino: no Array.from' },
        { selector: 'LabeledStatement, TaggedTemplateExpression', message: 'Espruino: no labels or tagged templates' },
      ],
      '@typescript-eslint/no-use-before-define': ['error', { functions: true, classes: true, variables: false }],
      'object-shorthand': ['error', 'never'],
    },
  },
);
