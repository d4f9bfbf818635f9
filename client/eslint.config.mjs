// @ts-check
// The client's lint: the repository's rules (../eslint.config.mjs, which the root `npx eslint .` also
// applies to these files) plus what only a React/Next.js app needs: Next's own rules, the rules of
// hooks and the accessibility rules for JSX. Run by `npm run lint -w client` and before `next build`.
import nextPlugin from '@next/eslint-plugin-next';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import repo from '../eslint.config.mjs';

export default [
  ...repo,
  { ignores: ['test-results/**', 'playwright-report/**'] },
  {
    // The app's code; e2e/ is Playwright's, whose fixtures' `use` is no React hook.
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'lib/**/*.{ts,tsx}'],
    plugins: {
      '@next/next': nextPlugin,
      'react-hooks': reactHooks,
      'jsx-a11y': jsxA11y,
    },
    languageOptions: { globals: { ...globals.browser } },
    settings: { next: { rootDir: '.' } },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs['core-web-vitals'].rules,
      ...reactHooks.configs.flat.recommended.rules,
      ...jsxA11y.flatConfigs.strict.rules,
    },
  },
];
