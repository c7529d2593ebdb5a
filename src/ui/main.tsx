// Fast refresh's preamble as a module, so development works under the page's CSP (no inline script).
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { siteFile } from './site.ts';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Offline once loaded: the service worker keeps what the page fetched (production builds only;
// in development it would serve stale modules). It is the one beside the page, scoped to the
// page's folder, so each copy of the site on a host has its own.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker
      .register(siteFile('sw.js'), { scope: siteFile('') })
      .catch((e: unknown) => console.warn('offline support unavailable:', e));
  });
}
