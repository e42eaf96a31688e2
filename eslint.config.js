import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'coverage/**', '.tap/**', 'bench/generated/**'] }),
  {
    files: ['types/**'],
    rules: { '@typescript-eslint/no-unused-vars': 'off', 'no-unused-vars': 'off' }
  }
]
