import { describe, expect, it } from 'vitest';
import { pageUrl, siteFile } from './site.ts';

const at = (href: string) => {
  const u = new URL(href);
  return { origin: u.origin, pathname: u.pathname };
};

describe('the page address', () => {
  it('keeps the folder and drops query and fragment', () => {
    expect(pageUrl(at('http://127.0.0.1:8080/kp/?theme=dark#v1.abc'))).toBe('http://127.0.0.1:8080/kp/');
    expect(pageUrl(at('https://user.github.io/kavach/index.html#lesson=2'))).toBe('https://user.github.io/kavach/index.html');
    expect(pageUrl(at('http://host/'))).toBe('http://host/');
  });
});

describe('the site\'s own files', () => {
  it('resolve from the page\'s folder in a build (base "./"), wherever it is deployed', () => {
    expect(siteFile('examples/hello.wasm', 'http://host/kp/', './')).toBe('http://host/kp/examples/hello.wasm');
    expect(siteFile('examples/hello.wasm', 'http://host/kp/index.html', './')).toBe('http://host/kp/examples/hello.wasm');
    expect(siteFile('sw.js', 'http://host/a/b/c/', './')).toBe('http://host/a/b/c/sw.js');
    expect(siteFile('examples/hello.wasm', 'http://host/', './')).toBe('http://host/examples/hello.wasm');
  });

  it('resolve from the root under the dev server (base "/")', () => {
    expect(siteFile('favicon.svg', 'http://localhost:5173/', '/')).toBe('http://localhost:5173/favicon.svg');
  });
});
