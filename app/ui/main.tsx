import '@fontsource/be-vietnam-pro/vietnamese-400.css';
import '@fontsource/be-vietnam-pro/vietnamese-600.css';
import '@fontsource/be-vietnam-pro/latin-400.css';
import '@fontsource/be-vietnam-pro/latin-600.css';
// The kit's tokens and components first; the screens' own styles build on them.
import './kit/index.ts';
import './styles.css';
import { render } from 'preact';
import { App } from './App.tsx';
import { createKioskClient } from './api-client.ts';
import { translate } from './i18n.ts';

const root = document.getElementById('app')!;
try {
  const client = createKioskClient();
  const config = await client.call('uiConfig', {});
  render(<App client={client} config={config} />, root);
} catch {
  // Without the host there is nothing safe to show but a plea for staff, in both languages.
  root.innerHTML = `<main class="fatal"><p>${translate('vi', 'hostUnavailable')}</p><p>${translate('en', 'hostUnavailable')}</p></main>`;
}
