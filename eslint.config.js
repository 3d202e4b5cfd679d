import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', '.cache/', 'test-output/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  { files: ['test/**', 'bench/**'], rules: { 'no-console': 'off' } },
  {
    // One clock: the current time is read only in src/clock.ts; everything else takes the injected one.
    files: ['src/**', 'handlers/**', 'jobs/**'],
    ignores: ['src/clock.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Read the time through the injected clock (services.now / src/clock.ts), not new Date().',
        },
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message:
            'Read the time through the injected clock, or a stopwatch() from src/clock.ts, not Date.now().',
        },
        {
          selector: "CallExpression[callee.name='Date']",
          message: 'Date() reads the current time: use the injected clock (src/clock.ts).',
        },
      ],
    },
  },
);
