import { describe, expect, it } from 'vitest';
import { AnsiParser } from './ansi.ts';

describe('ANSI colours in output', () => {
  it('turns SGR colour and bold codes into styles and drops the escapes', () => {
    const p = new AnsiParser();
    expect(p.push('plain \x1b[31mred\x1b[0m \x1b[1;92mbold green\x1b[39m bold')).toEqual([
      { text: 'plain ', style: '' },
      { text: 'red', style: 'ansi-fg-1' },
      { text: ' ', style: '' },
      { text: 'bold green', style: 'ansi-fg-10 ansi-bold' },
      { text: ' bold', style: 'ansi-bold' },
    ]);
  });

  it('holds a sequence split across two writes and drops escapes it does not interpret', () => {
    const p = new AnsiParser();
    expect(p.push('a\x1b[3')).toEqual([{ text: 'a', style: '' }]);
    expect(p.push('4mblue\x1b[2Kx\x1b')).toEqual([{ text: 'blue', style: 'ansi-fg-4' }, { text: 'x', style: 'ansi-fg-4' }]);
    expect(p.push('[0mz')).toEqual([{ text: 'z', style: '' }]);
  });
});
