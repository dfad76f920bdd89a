// custom-elements.json is generated from the elements' JSDoc (@fires, @csspart, @cssprop, @slot, @attr).
export default {
  globs: ['src/components/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*.styles.ts', 'src/**/*.fake.ts'],
  outdir: '.',
  litelement: true,
  packagejson: true,
  plugins: [
    {
      // The analyzer walks the globs concurrently, so modules come out in whatever order the file
      // system answered: sorted by path, the file is the same on every build and the "manifest up
      // to date" check in npm test cannot fail on order alone.
      name: 'modules-in-path-order',
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      },
    },
    {
      // Private members (`#x` and TS `private`) are no API: listing them, with their initializers
      // as text, made the manifest change with every internal edit.
      name: 'no-private-members',
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.members) declaration.members = declaration.members.filter((member) => member.privacy !== 'private');
          }
        }
      },
    },
  ],
};
