// The demo phone page, built only from the elements' public API. Every setting but the password
// can come from the URL, so that several tabs can be different phones.
import '../src/index';

const CONFIG_PARAMS = ['server', 'user', 'domain', 'display-name', 'auth-user'] as const;

function phoneFromUrl(params: URLSearchParams): HTMLElement {
  const phone = document.createElement('sip-phone');
  for (const name of CONFIG_PARAMS) {
    const value = params.get(name) ?? params.get(name.replace('-', '_'));
    if (value) phone.setAttribute(name, value);
  }
  if (params.has('register')) phone.setAttribute('register', '');
  return phone;
}

document.getElementById('phones')!.append(phoneFromUrl(new URLSearchParams(location.search)));
