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
      // The elements declare their reactive properties in `static properties` (no decorators, so
      // no decorator code in the bundle). The analyzer's Lit support reads that object but, unlike
      // with @state(), takes a `{ state: true }` entry for an attribute (Lit gives state no
      // attribute) and marks every entry `privacy: "public"`, which the decorator form left implicit
      // as for every other public member. Both undone here, so the manifest says what Lit does.
      name: 'lit-static-properties-as-decorators',
      analyzePhase({ ts, node, moduleDoc }) {
        if (!ts.isClassDeclaration(node) || !node.name) return;
        const declaration = moduleDoc.declarations.find((candidate) => candidate.name === node.name.getText());
        const properties = node.members.find(
          (member) =>
            ts.isPropertyDeclaration(member) &&
            member.name.getText() === 'properties' &&
            member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword),
        );
        if (!declaration || !properties?.initializer || !ts.isObjectLiteralExpression(properties.initializer)) return;
        for (const entry of properties.initializer.properties) {
          if (!ts.isPropertyAssignment(entry) || !ts.isObjectLiteralExpression(entry.initializer)) continue;
          const name = entry.name.getText();
          const member = declaration.members?.find((candidate) => candidate.name === name);
          if (member?.privacy === 'public') delete member.privacy;
          const isState = entry.initializer.properties.some(
            (option) =>
              ts.isPropertyAssignment(option) &&
              option.name.getText() === 'state' &&
              option.initializer.kind === ts.SyntaxKind.TrueKeyword,
          );
          if (!isState) continue;
          if (member) delete member.attribute;
          declaration.attributes = declaration.attributes?.filter((attribute) => attribute.fieldName !== name);
        }
      },
    },
    {
      // Private members (`#x` and TS `private`) are no API: listing them, with their initializers
      // as text, made the manifest change with every internal edit.
      name: 'no-private-members',
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.members)
              declaration.members = declaration.members.filter((member) => member.privacy !== 'private');
          }
        }
      },
    },
  ],
};
