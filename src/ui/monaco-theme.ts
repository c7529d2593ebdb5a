/** Monaco's theme, following the page's light or dark theme as it changes. */
import { useEffect, useState } from 'react';
import { currentTheme } from './ThemeToggle.tsx';

function themeName(): string {
  // Defined in monaco-setup.ts: vs and vs-dark with readable line numbers and comments.
  return currentTheme() === 'dark' ? 'kavach-dark' : 'kavach-light';
}

export function useMonacoTheme(): string {
  const [theme, setTheme] = useState(themeName);
  useEffect(() => {
    const onTheme = () => setTheme(themeName());
    window.addEventListener('kavach-theme', onTheme);
    return () => window.removeEventListener('kavach-theme', onTheme);
  }, []);
  return theme;
}
