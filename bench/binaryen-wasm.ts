/** binaryen's own wasm (9.9 MB, 12,710 functions): a large real module for the instrumenter's bench and tests. */
import { readFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);

/**
 * binaryen.js embeds its wasm as a JS template literal decoded by a helper that maps each char
 * code c to (~c >> 8) & c; this finds the literal and decodes it without evaluating any code.
 */
export function binaryenWasm(): Uint8Array<ArrayBuffer> {
  const source = readFileSync(new URL('node_modules/binaryen/index.js', root), 'utf8');
  const marker = source.indexOf('(`\\0asm');
  if (marker < 0) throw new Error('no embedded wasm found in node_modules/binaryen/index.js');
  const out: number[] = [];
  const push = (code: number) => out.push((~code >> 8) & code);
  for (let i = marker + 2; ; i++) {
    const c = source[i];
    if (c === '`') break;
    if (c === '\r') {
      push(10); // template literals normalise CR and CRLF to LF
      if (source[i + 1] === '\n') i++;
      continue;
    }
    if (c !== '\\') {
      push(source.charCodeAt(i));
      continue;
    }
    const e = source[++i];
    switch (e) {
      case '0':
        push(0);
        break;
      case 'x':
        push(parseInt(source.slice(i + 1, i + 3), 16));
        i += 2;
        break;
      case 'u': {
        const braced = source[i + 1] === '{';
        const end = braced ? source.indexOf('}', i) : i + 5;
        push(parseInt(source.slice(i + (braced ? 2 : 1), end), 16));
        i = braced ? end : i + 4;
        break;
      }
      case 'n':
        push(10);
        break;
      case 'r':
        push(13);
        break;
      case 't':
        push(9);
        break;
      case 'b':
        push(8);
        break;
      case 'f':
        push(12);
        break;
      case 'v':
        push(11);
        break;
      case '\n':
        break; // line continuation
      default:
        push(e.charCodeAt(0));
    }
  }
  const bytes = Uint8Array.from(out);
  if (!WebAssembly.validate(bytes)) throw new Error('the wasm decoded from binaryen.js does not validate');
  return bytes;
}
