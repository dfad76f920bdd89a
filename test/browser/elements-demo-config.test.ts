import { expect } from '@open-wc/testing';
import { configFromUrl, hasPassword, languageFromUrl, phoneCount, queryFor } from '../../demo/demo-config';

describe('demo URL scheme', () => {
  it('reads a phone from the parameters, with the old names too', () => {
    const params = new URLSearchParams(
      'server=ws://127.0.0.1:8089&username=kundan&domain=iptel.org&display_name=Kundan&register&trace=off&auth_realm=edge.example&refuse-md5',
    );
    expect(configFromUrl(params, 1)).to.deep.equal({
      server: 'ws://127.0.0.1:8089',
      user: 'kundan',
      domain: 'iptel.org',
      'display-name': 'Kundan',
      'auth-user': '',
      'auth-realm': 'edge.example',
      'ice-servers': '',
      'ice-transport-policy': '',
      register: true,
      trace: false,
      'registered-contact': false,
      'refuse-md5': true,
      'require-qop': false,
    });
    expect(phoneCount(params)).to.equal(1);
  });

  it('reads a second phone that shares the server and domain unless it has its own', () => {
    const params = new URLSearchParams(
      'server=ws://a&domain=example.com&user=alice&register&user2=bob&display-name2=Bob&domain2=other.com',
    );
    expect(phoneCount(params)).to.equal(2);
    const second = configFromUrl(params, 2);
    expect(second.user).to.equal('bob');
    expect(second['display-name']).to.equal('Bob');
    expect(second.server).to.equal('ws://a');
    expect(second.domain).to.equal('other.com');
    expect(second.register).to.equal(true);
    expect(configFromUrl(new URLSearchParams('user=a&registered-contact&user2=b'), 2)['registered-contact']).to.equal(
      true,
      'for the 39peers sipd.py',
    );
    expect(phoneCount(new URLSearchParams('user=alice&phones=2'))).to.equal(2);
  });

  it('notices a password parameter, and never writes one', () => {
    expect(hasPassword(new URLSearchParams('user=a&password=x'))).to.equal(true);
    expect(hasPassword(new URLSearchParams('user=a&pass2=x'))).to.equal(true);
    expect(hasPassword(new URLSearchParams('user=a'))).to.equal(false);
    const params = new URLSearchParams('server=ws://a&domain=d&user=alice&register&user2=bob');
    const query = queryFor([configFromUrl(params, 1), configFromUrl(params, 2)], { theme: 'dark' });
    expect(query).to.equal('server=ws%3A%2F%2Fa&user=alice&domain=d&register&user2=bob&phones=2&theme=dark');
    expect(
      queryFor([configFromUrl(new URLSearchParams(query), 1), configFromUrl(new URLSearchParams(query), 2)], {
        theme: 'dark',
      }),
    ).to.equal(query);
  });

  it('reads the language from ?lang=, a language tag or nothing', () => {
    expect(languageFromUrl(new URLSearchParams('lang=ar'))).to.equal('ar');
    expect(languageFromUrl(new URLSearchParams('lang=de-AT'))).to.equal('de-AT');
    expect(languageFromUrl(new URLSearchParams('lang=%3Cb%3E'))).to.equal('');
    expect(languageFromUrl(new URLSearchParams('user=a'))).to.equal('');
    expect(queryFor([configFromUrl(new URLSearchParams('user=a'), 1)], { lang: 'fr' })).to.equal('user=a&lang=fr');
  });
});
