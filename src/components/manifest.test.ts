/**
 * custom-elements.json against the elements as Lit sees them at run time. The manifest is
 * generated from the source by the analyzer plus our config plugins (custom-elements-manifest.config.mjs),
 * so this catches what "manifest up to date" cannot: the generator and Lit disagreeing about an
 * attribute, a reflected property, a state property or a default.
 */
import { expect } from '@open-wc/testing';
import { SipCall } from './sip-call/sip-call';
import { SipPhone } from './sip-phone/sip-phone';
import { SipVideo } from './sip-video/sip-video';
import { SipPresence } from './sip-presence/sip-presence';

const CLASSES: Record<string, typeof SipPhone | typeof SipCall | typeof SipVideo | typeof SipPresence> = {
  'sip-phone': SipPhone,
  'sip-call': SipCall,
  'sip-video': SipVideo,
  'sip-presence': SipPresence,
};

interface Member {
  kind: string;
  name: string;
  privacy?: string;
  default?: string;
  attribute?: string;
  reflects?: boolean;
}
interface Attribute {
  name: string;
  fieldName?: string;
}
interface Declaration {
  tagName?: string;
  members?: Member[];
  attributes?: Attribute[];
}

async function declarations(): Promise<Declaration[]> {
  const manifest = (await (await fetch('/custom-elements.json')).json()) as {
    modules: Array<{ declarations?: Declaration[] }>;
  };
  return manifest.modules.flatMap((module) => module.declarations ?? []).filter((declaration) => declaration.tagName);
}

describe('custom-elements.json', () => {
  it('documents the four elements', async () => {
    expect((await declarations()).map((declaration) => declaration.tagName).sort()).to.deep.equal(
      Object.keys(CLASSES).sort(),
    );
  });

  it("lists each element's reactive properties as Lit declares them: attribute, reflection, state, default", async () => {
    for (const declaration of await declarations()) {
      const tag = declaration.tagName!;
      const element = CLASSES[tag]!;
      const instance = document.createElement(tag) as unknown as Record<string, unknown>;
      const members = declaration.members ?? [];
      const attributes = declaration.attributes ?? [];
      for (const [key, options] of element.elementProperties) {
        const name = String(key);
        const where = `<${tag}>.${name}`;
        const member = members.find((candidate) => candidate.name === name);
        const attribute = attributes.find((candidate) => candidate.fieldName === name);
        if (options.state) {
          // Internal state: no API, no attribute.
          expect(member, `${where} is state, not API`).to.equal(undefined);
          expect(attribute, `${where} is state: no attribute`).to.equal(undefined);
          continue;
        }
        expect(member, `${where} is documented`).to.not.equal(undefined);
        expect(member!.kind, where).to.equal('field');
        expect(member!.privacy, `${where} is public (implicit, as for the other public members)`).to.equal(undefined);
        expect(!!member!.reflects, `${where} reflects`).to.equal(!!options.reflect);
        const attributeName =
          options.attribute === false
            ? undefined
            : typeof options.attribute === 'string'
              ? options.attribute
              : name.toLowerCase();
        expect(member!.attribute, `${where} attribute`).to.equal(attributeName);
        expect(attribute?.name, `${where} attribute entry`).to.equal(attributeName);
        // The manifest writes a default as source text ('' for an empty string); undefined has none.
        const value = instance[name];
        expect(member!.default?.replace(/'/g, '"'), `${where} default`).to.equal(
          value === undefined ? undefined : JSON.stringify(value),
        );
      }
      // And the other way: every attribute that names a field names a reactive property.
      for (const attribute of attributes.filter((candidate) => candidate.fieldName)) {
        expect(element.elementProperties.has(attribute.fieldName!), `<${tag}> [${attribute.name}]`).to.equal(true);
      }
    }
  });
});
