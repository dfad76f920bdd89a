// custom-elements.json is generated from the elements' JSDoc (@fires, @csspart, @cssprop, @slot, @attr).
export default {
  globs: ['src/components/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*.styles.ts', 'src/**/*.fake.ts'],
  outdir: '.',
  litelement: true,
  packagejson: true,
};
